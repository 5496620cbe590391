// Review pages: "Select all" for the bulk form, and a busy label on "Apply now" while the sync runs
// (it takes a while; a second click would only wait for the first sync's lock).
document.addEventListener("DOMContentLoaded", () => {
  const selectAll = document.getElementById("select-all");
  if (selectAll) {
    const boxes = () => Array.from(document.querySelectorAll("#bulk input[name=pair]"));
    selectAll.hidden = false;
    selectAll.addEventListener("click", () => {
      const select = boxes().some((box) => !box.checked);
      boxes().forEach((box) => { box.checked = select; });
      selectAll.textContent = select ? "Select none" : "Select all";
    });
  }
  document.querySelectorAll("form.apply-now").forEach((form) => {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[data-busy]");
      if (!button) return;
      button.textContent = button.dataset.busy;
      button.setAttribute("aria-disabled", "true");
      form.addEventListener("submit", (again) => again.preventDefault());
    });
  });
});
