/* The report form: show identity fields only when reporting with identity, fill a
   reported person from a register search result, number new person blocks. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;

  function syncIdentity() {
    var chosen = form.querySelector('input[name="identity"]:checked');
    var anonymous = chosen && chosen.value === "anonymous";
    document.getElementById("identity-fields").hidden = anonymous;
    document.getElementById("anonymous-note").hidden = !anonymous;
    ["id_reporter_name", "id_reporter_address"].forEach(function (id) {
      document.getElementById(id).required = !anonymous;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "identity") syncIdentity();
  });
  syncIdentity();

  // A shared phone: coming back to the form with Back (from the receipt, or a cached copy)
  // must not show the previous reporter's identity. The server sends the page no-store too.
  var IDENTITY = ["id_reporter_name", "id_reporter_address", "id_reporter_nik", "id_reporter_phone",
                  "id_reporter_email"];
  window.addEventListener("pageshow", function (event) {
    var navigation = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    if (event.persisted || (navigation && navigation.type === "back_forward")) {
      IDENTITY.forEach(function (id) {
        var field = document.getElementById(id);
        if (field) field.value = "";
      });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-pick]");
    if (!button) return;
    var prefix = button.getAttribute("data-pick");
    var set = function (name, value) {
      var input = document.getElementById("id_" + prefix + "-" + name);
      if (input) input.value = value;
    };
    set("employee", button.getAttribute("data-employee"));
    set("name", button.getAttribute("data-name"));
    set("position", button.getAttribute("data-position"));
    set("unit", button.getAttribute("data-unit"));
    var results = document.getElementById("results-" + prefix);
    if (results) results.innerHTML = "";
    var name = document.getElementById("id_" + prefix + "-name");
    if (name) name.focus();
  });

  // A typed name no longer matches a picked register entry: forget the entry.
  document.addEventListener("input", function (event) {
    var match = /^id_(persons-\d+)-name$/.exec(event.target.id || "");
    if (match) {
      var hidden = document.getElementById("id_" + match[1] + "-employee");
      if (hidden) hidden.value = "";
    }
  });

  var add = document.getElementById("add-person");
  var total = document.getElementById("id_persons-TOTAL_FORMS");
  var max = document.getElementById("id_persons-MAX_NUM_FORMS");
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "persons") return;
    var count = form.querySelectorAll("[data-person]").length;
    total.value = count;
    add.setAttribute("hx-vals", JSON.stringify({ index: String(count) }));
    if (count >= parseInt(max.value, 10)) add.hidden = true;
    var blocks = form.querySelectorAll("[data-person]");
    var last = blocks[blocks.length - 1].querySelector('input[type="search"]');
    if (last) last.focus();
  });

  // One click sends once: the button is disabled while the upload runs. The server
  // also makes a repeated submission return the first report.
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-report");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
