/* Small behaviours shared by every page (no inline scripts: CSP-ready). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var source = document.querySelector(copy.getAttribute("data-copy"));
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        copy.textContent = copy.getAttribute("data-copied");
      });
    }
  });
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();

  // A table wider than the screen scrolls inside its .table-wrap: such a box must be
  // reachable with Tab (to scroll it with the arrow keys) and named after its table.
  function scrollableTables() {
    var boxes = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i], caption = box.querySelector("caption");
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        if (caption) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
  document.body.addEventListener("htmx:afterSettle", scrollableTables);
})();
