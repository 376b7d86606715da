// Case form helpers: a location pin from the browser, and file checks before a slow upload.
(function () {
  "use strict";
  var form = document.querySelector(".case-form");
  if (!form) return;
  var pin = document.getElementById("pin-location");
  var status = document.getElementById("pin-status");
  var share = form.querySelector("input[name=share_location]");
  if (pin && "geolocation" in navigator) {
    pin.hidden = false;
    pin.addEventListener("click", function () {
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("input[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("input[name=longitude]").value = pos.coords.longitude.toFixed(6);
        if (share) share.checked = true;
        status.textContent = "✓ " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
      }, function () {
        status.textContent = "✗";
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  // Tell the resident at once when a file is too big, instead of after a long upload on 3G.
  var files = form.querySelector("input[type=file]");
  var message = document.getElementById("file-check");
  var maxBytes = parseInt(form.dataset.maxBytes, 10);
  var maxFiles = parseInt(form.dataset.maxFiles, 10);
  if (files && message) {
    files.addEventListener("change", function () {
      var problems = [];
      if (files.files.length > maxFiles) problems.push("> " + maxFiles);
      for (var i = 0; i < files.files.length; i++) {
        if (files.files[i].size > maxBytes) problems.push(files.files[i].name + " > " + Math.round(maxBytes / 1048576) + " MB");
      }
      message.hidden = problems.length === 0;
      message.textContent = problems.join(" · ");
    });
  }
})();
