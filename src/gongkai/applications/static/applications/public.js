/* Public request pages: print buttons, the request form's fields by applicant type, and a
   guard against double submission. No inline scripts (CSP-friendly). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print]");
    if (target) { event.preventDefault(); window.print(); }
  });

  var form = document.querySelector("form[data-request-form]");
  if (!form) { return; }
  var PERSON_IDS = ["resident_id", "passport", "other_personal"];
  var ORGANISATION_IDS = ["credit_code", "other_organisation"];

  function applicantType() {
    var checked = form.querySelector("input[name=applicant_type]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var type = applicantType();
    var isOrganisation = type !== "" && type !== "natural_person";
    form.querySelectorAll("[data-show-for=organisation]").forEach(function (el) {
      el.hidden = !isOrganisation;
    });
    var select = form.querySelector("select[name=id_type]");
    if (!select || type === "") { return; }
    var allowed = isOrganisation ? ORGANISATION_IDS : PERSON_IDS;
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value === "") { return; }
      var ok = allowed.indexOf(option.value) !== -1;
      option.hidden = !ok;
      option.disabled = !ok;
    });
    if (select.value && allowed.indexOf(select.value) === -1) { select.value = allowed[0]; }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "applicant_type") { update(); }
  });
  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-submit]");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
