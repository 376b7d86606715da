// The development LINE simulator: asks the app for a signed event, posts it to the real
// webhook exactly as LINE's servers do, then shows what the bot answered.
(function () {
  "use strict";
  var root = document.getElementById("line-sim");
  if (!root) { return; }
  var log = document.getElementById("sim-log");
  var quick = document.getElementById("sim-quick");
  var lastSeq = 0;
  var busy = Promise.resolve();

  function bubble(text, who) {
    var item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function showQuickReplies(items) {
    quick.textContent = "";
    (items || []).forEach(function (item) {
      var action = item.action || {};
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = action.label || "";
      button.addEventListener("click", function () {
        if (action.type === "postback") {
          send("postback", { data: action.data }, action.displayText || action.label);
        } else if (action.type === "location") {
          sendLocation();
        } else if (action.type === "camera" || action.type === "cameraRoll") {
          document.getElementById("sim-photo").click();
        }
      });
      quick.appendChild(button);
    });
  }

  function showMessages(messages) {
    messages.forEach(function (entry) {
      lastSeq = Math.max(lastSeq, entry.seq);
      var message = entry.message;
      bubble(message.type === "text" ? message.text : "[" + message.type + "]", "bot");
      showQuickReplies(message.quickReply ? message.quickReply.items : []);
    });
  }

  function poll(triesLeft) {
    return fetch(root.dataset.messagesUrl + "?after=" + lastSeq, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.messages.length) { showMessages(data.messages); return; }
        if (triesLeft > 0) {
          return new Promise(function (resolve) { setTimeout(resolve, 150); })
            .then(function () { return poll(triesLeft - 1); });
        }
      });
  }

  function post(kind, fields, file) {
    var form = new FormData();
    form.append("kind", kind);
    Object.keys(fields).forEach(function (key) { form.append(key, fields[key]); });
    if (file) { form.append("photo", file); }
    return fetch(root.dataset.eventsUrl, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrf }
    }).then(function (response) { return response.json(); })
      .then(function (signed) {
        return fetch(root.dataset.webhookUrl, {
          method: "POST", body: signed.body,
          headers: { "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": signed.signature }
        });
      })
      .then(function () { return poll(20); });
  }

  function send(kind, fields, shown, file) {
    if (shown) { bubble(shown, "me"); }
    quick.textContent = "";
    busy = busy.then(function () { return post(kind, fields, file); });
    return busy;
  }

  function sendLocation() {
    var address = root.dataset.demoAddress;
    send("location", { title: address, address: address, latitude: "15.0417", longitude: "102.1362" },
         "📍 " + address);
  }

  document.getElementById("sim-compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("sim-text");
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send("text", { text: text }, text);
  });
  document.getElementById("sim-photo").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) { send("image", {}, "🖼 " + file.name, file); }
    event.target.value = "";
  });
  root.querySelectorAll(".sim-tools button[data-kind]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.dataset.kind;
      if (kind === "location") { sendLocation(); }
      else { send(kind, {}, kind === "sticker" ? "[sticker]" : "[" + button.textContent + "]"); }
    });
  });
  root.dataset.ready = "1";
}());
