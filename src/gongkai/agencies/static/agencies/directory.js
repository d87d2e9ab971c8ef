// Filter the agency directory by name as the user types (progressive enhancement: without
// JavaScript the full directory shows, with collapsible sections).
(function () {
  var box = document.querySelector("[data-directory-filter]");
  if (!box) return;
  var input = box.querySelector("input");
  var noMatch = box.querySelector("[data-no-match]");
  var items = Array.prototype.slice.call(document.querySelectorAll("li[data-name]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-section]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  box.hidden = false;
  function visible(el) { return !el.hidden; }
  input.addEventListener("input", function () {
    var q = input.value.trim();
    items.forEach(function (li) { li.hidden = q !== "" && li.getAttribute("data-name").indexOf(q) === -1; });
    sections.forEach(function (s) {
      var any = Array.prototype.some.call(s.querySelectorAll("li[data-name]"), visible);
      s.hidden = !any;
      s.open = q !== "" && any;
    });
    var shown = 0;
    groups.forEach(function (g) {
      var any = Array.prototype.some.call(g.querySelectorAll("li[data-name]"), visible);
      g.hidden = !any;
      if (any) shown += 1;
    });
    noMatch.hidden = shown > 0;
  });
})();
