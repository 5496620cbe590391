// Keyboard shortcuts: any element with data-shortcut="k" is clicked (or focused, for fields) when
// "k" is pressed outside a text field. The page lists its shortcuts next to the buttons.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  const element = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
  if (!element) return;
  event.preventDefault();
  if (element.matches("input, textarea, select")) element.focus(); else element.click();
});
