/* Typed choices (templates/includes/typed_choice.html, issue 20): a picked suggestion fills the
   typed name and the hidden id; typing again forgets the id, and the name typed is found on sending.
   Loaded once per typed choice on a page: the guard keeps one set of listeners. */
(function () {
  "use strict";
  if (window.netralTypedChoice) return;
  window.netralTypedChoice = true;
  function hiddenOf(box) {
    return box.querySelector("input[type=hidden]");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-pick-id]");
    var box = button && button.closest("[data-typed-choice]");
    if (!box) return;
    var text = box.querySelector("input[data-pick-text]"), hidden = hiddenOf(box);
    if (text) text.value = button.getAttribute("data-pick-label");
    if (hidden) hidden.value = button.getAttribute("data-pick-id");
    var results = box.querySelector(".search-results");
    if (results) results.innerHTML = "";
    if (text) text.focus();
  });
  document.addEventListener("input", function (event) {
    var text = event.target.closest && event.target.closest("input[data-pick-text]");
    var box = text && text.closest("[data-typed-choice]");
    var hidden = box && hiddenOf(box);
    if (hidden) hidden.value = "";
  });
})();
