// Integrity track: the print button of the proof of submission. The receipt is left out of the
// printout unless the reporter ticks the box (see the print rules in site.css).
(function () {
  "use strict";
  var button = document.getElementById("print-proof");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
