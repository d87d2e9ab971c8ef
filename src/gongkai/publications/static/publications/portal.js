/* Portal behaviour without inline scripts: large-text toggle, print, keyboard navigation. */
(function () {
  "use strict";
  var COOKIE = "gk_large_text";

  function setLarge(on) {
    document.body.classList.toggle("large-text", on);
    document.cookie = COOKIE + "=" + (on ? "1" : "0") + "; path=/; max-age=" + (on ? 31536000 : 0) + "; SameSite=Lax";
    document.querySelectorAll("[data-text-size]").forEach(function (el) {
      el.setAttribute("aria-pressed", on ? "true" : "false");
      el.textContent = on ? el.getAttribute("data-label-normal") : el.getAttribute("data-label-large");
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-text-size]");
    if (toggle) {
      event.preventDefault();
      setLarge(!document.body.classList.contains("large-text"));
      return;
    }
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  /* "/" focuses the search box; "j" / "k" move through the list of documents. */
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement)) return;
    if (event.key === "/") {
      var box = document.getElementById("portal-search-q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (event.key !== "j" && event.key !== "k") return;
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-nav-item]"));
    if (!items.length) return;
    var index = items.indexOf(document.activeElement);
    index = event.key === "j" ? Math.min(items.length - 1, index + 1) : Math.max(0, index - 1);
    event.preventDefault();
    items[index].focus();
  });
})();
