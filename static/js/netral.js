/* Small behaviours shared by every page (no inline scripts: CSP-ready). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
