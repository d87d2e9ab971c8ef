// Import preview: select all / none buttons. No inline scripts.
(function () {
  function toggle(group, value) {
    document.querySelectorAll('input[type=checkbox][data-group="' + group + '"]').forEach(function (box) {
      box.checked = value;
    });
  }
  document.querySelectorAll("[data-check-all]").forEach(function (button) {
    button.addEventListener("click", function () { toggle(button.getAttribute("data-check-all"), true); });
  });
  document.querySelectorAll("[data-check-none]").forEach(function (button) {
    button.addEventListener("click", function () { toggle(button.getAttribute("data-check-none"), false); });
  });
})();
