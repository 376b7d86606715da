// Moderation: draw black boxes over a photo (faces, number plates, house numbers) before it is
// published. Mouse, pen and touch alike (pointer events). The boxes go to the server as
// fractions of the picture in a hidden field; the server paints them on a copy with Pillow, so
// this script only shows where they will be. Without it, photos can still be chosen.
(function () {
  "use strict";
  var MIN_SIDE = 0.01;

  function setUp(block) {
    var frame = block.querySelector(".redact-canvas");
    var image = frame.querySelector("img");
    var field = block.querySelector("input[type=hidden]");
    var tick = block.querySelector("input[type=checkbox]");
    var clear = block.querySelector(".redact-clear");
    var canvas = document.createElement("canvas");
    var boxes = [];
    var start = null;
    var current = null;
    try { boxes = JSON.parse(field.value || "[]"); } catch (e) { boxes = []; }
    canvas.className = "redact-layer";
    frame.appendChild(canvas);

    function fit() {
      canvas.width = image.clientWidth;
      canvas.height = image.clientHeight;
      draw();
    }

    function draw() {
      var context = canvas.getContext("2d");
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = "rgba(0, 0, 0, 0.85)";
      boxes.concat(current ? [current] : []).forEach(function (box) {
        context.fillRect(box[0] * canvas.width, box[1] * canvas.height,
                         box[2] * canvas.width, box[3] * canvas.height);
      });
      clear.hidden = boxes.length === 0;
    }

    function at(event) {
      var rect = canvas.getBoundingClientRect();
      return [Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1),
              Math.min(Math.max((event.clientY - rect.top) / rect.height, 0), 1)];
    }

    function spanned(point) {
      return [Math.min(start[0], point[0]), Math.min(start[1], point[1]),
              Math.abs(point[0] - start[0]), Math.abs(point[1] - start[1])];
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      start = at(event);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      current = spanned(at(event));
      draw();
    });
    function finish(event) {
      if (!start) { return; }
      var box = spanned(at(event));
      start = null;
      current = null;
      if (box[2] >= MIN_SIDE && box[3] >= MIN_SIDE) {
        boxes.push(box.map(function (v) { return Math.round(v * 10000) / 10000; }));
        field.value = JSON.stringify(boxes);
        tick.checked = true;
      }
      draw();
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", function () { start = null; current = null; draw(); });
    clear.addEventListener("click", function () {
      boxes = [];
      field.value = "[]";
      draw();
    });
    if (image.complete) { fit(); } else { image.addEventListener("load", fit); }
    window.addEventListener("resize", fit);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".redact-photo"), setUp);
})();
