// Integrity report form: choosing "anonymous" empties and locks the name and contact boxes, so
// nothing identifying is sent by mistake (the server ignores them then in any case).
(function () {
  "use strict";
  var form = document.querySelector(".integrity-form");
  if (!form) { return; }
  var choices = form.querySelectorAll('input[name="identity"]');
  var fields = [form.elements.reporter_name, form.elements.reporter_contact].filter(Boolean);

  function apply() {
    var chosen = form.querySelector('input[name="identity"]:checked');
    var anonymous = !chosen || chosen.value === "anonymous";
    fields.forEach(function (field) {
      if (anonymous) { field.value = ""; }
      field.disabled = anonymous;
    });
  }

  choices.forEach(function (choice) { choice.addEventListener("change", apply); });
  apply();
})();
