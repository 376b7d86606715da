// The resident's receipt: copy the code and link, or save them as a picture (no library, no
// other site). Shown only when this script runs; the page works without it.
(function () {
  "use strict";
  var tools = document.getElementById("receipt-tools");
  if (!tools) { return; }
  var data = tools.dataset;
  var status = document.getElementById("receipt-tools-status");
  var text = data.title + " " + data.code + "\n" + data.link;
  tools.hidden = false;

  function say(message) { status.textContent = message; }

  document.getElementById("copy-receipt").addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(data.copied); });
      return;
    }
    // Plain http (a test server): select the text in a hidden box and copy it.
    var box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.style.position = "absolute";
    box.style.left = "-9999px";
    document.body.appendChild(box);
    box.select();
    document.execCommand("copy");
    document.body.removeChild(box);
    say(data.copied);
  });

  // Long links are cut into lines that fit the picture's width.
  function lines(context, value, width) {
    var out = [], line = "";
    for (var i = 0; i < value.length; i++) {
      if (context.measureText(line + value[i]).width > width) { out.push(line); line = ""; }
      line += value[i];
    }
    out.push(line);
    return out;
  }

  document.getElementById("save-receipt").addEventListener("click", function () {
    var canvas = document.createElement("canvas");
    var width = 720, font = '"Sarabun", "Noto Sans Thai", "Leelawadee UI", "Thonburi", sans-serif';
    var context = canvas.getContext("2d");
    context.font = "24px " + font;
    var link = lines(context, data.link, width - 64);
    canvas.width = width;
    canvas.height = 300 + link.length * 34;
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#0b5d3b";
    context.fillRect(0, 0, width, 64);
    context.fillStyle = "#ffffff";
    context.font = "bold 26px " + font;
    context.fillText(data.org, 32, 42);
    context.fillStyle = "#1b1f24";
    context.font = "24px " + font;
    context.fillText(data.title, 32, 112);
    context.font = "bold 56px ui-monospace, Menlo, Consolas, monospace";
    context.fillText(data.code, 32, 180);
    context.font = "22px " + font;
    context.fillText(data.when, 32, 222);
    context.font = "24px " + font;
    link.forEach(function (part, index) { context.fillText(part, 32, 270 + index * 34); });
    canvas.toBlob(function (blob) {
      var save = document.createElement("a");
      save.href = URL.createObjectURL(blob);
      save.download = data.code + ".png";
      document.body.appendChild(save);
      save.click();
      document.body.removeChild(save);
      setTimeout(function () { URL.revokeObjectURL(save.href); }, 10000);
    }, "image/png");
  });
})();
