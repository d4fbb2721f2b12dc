/* Document page: bring the spans of a coded item into focus (from the URL hash or a click). */
(function () {
  "use strict";
  function focusItem(id) {
    document.querySelectorAll(".focus").forEach(function (n) { n.classList.remove("focus"); });
    var first = null;
    document.querySelectorAll("#doc-text [data-items]").forEach(function (n) {
      if (n.getAttribute("data-items").split(" ").indexOf(id) >= 0) {
        n.classList.add("focus");
        first = first || n;
      }
    });
    if (first) first.scrollIntoView({ block: "center" });
  }
  document.querySelectorAll(".item-link").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var id = a.getAttribute("data-item");
      history.replaceState(null, "", "#item-" + id);
      focusItem(id);
    });
  });
  if (location.hash.indexOf("#item-") === 0) focusItem(decodeURIComponent(location.hash.slice(6)));
})();
