/* The case page's merge search (cases/_merge_results.html): a picked result fills the number and
   the hidden id; typing again forgets the id, and the number typed whole is what counts. */
(function () {
  "use strict";
  var number = document.getElementById("id_merge-number");
  var target = document.getElementById("id_merge-target");
  if (!number || !target) return;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-merge-pick]");
    if (!button) return;
    number.value = button.getAttribute("data-number");
    target.value = button.getAttribute("data-merge-pick");
    var results = document.getElementById("merge-results");
    if (results) results.innerHTML = "";
    number.focus();
  });
  number.addEventListener("input", function () {
    target.value = "";
  });
})();
