// The control room's list reloads itself when a new report comes in: every data-poll-seconds (10 unless the
// installation says otherwise) it asks for the newest report's ID and reloads the page when it is not the
// one shown.
(() => {
  const table = document.getElementById("event-reports");
  if (!table) return;
  const shown = table.dataset.latest || "";
  setInterval(async () => {
    try {
      const response = await fetch("/control-room/latest", { credentials: "same-origin" });
      if (!response.ok) return;
      const { latest } = await response.json();
      if (latest && latest !== shown) window.location.reload();
    } catch (error) { /* offline for a moment: the next try will tell */ }
  }, 1000 * (Number(table.dataset.pollSeconds) || 10));
})();
