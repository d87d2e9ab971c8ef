// Submits the form of a <select data-autosubmit> when its value changes (instead of an inline
// onchange handler, which the Content-Security-Policy forbids). The <noscript> button remains.
(function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { if (field.form) { field.form.submit(); } });
  });
})();
