// Print buttons (data-print): a script file, not an inline handler, so the page's CSP holds.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
