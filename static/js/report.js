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

  // The place: a picked suggestion fills the name and the region's id; typing again forgets the id
  // (and any "Did you mean" choice), so that the server finds what is typed (issue 20).
  var regionName = document.getElementById("id_region_name");
  function regionIds() { return form.querySelectorAll('input[name="region"]'); }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-region]");
    if (!button) return;
    var choices = document.getElementById("region-choices");
    if (choices) choices.remove();
    var id = form.querySelector('input[name="region"][type="hidden"]');
    if (!id) {
      id = document.createElement("input");
      id.type = "hidden"; id.name = "region"; id.id = "id_region";
      regionName.parentNode.appendChild(id);
    }
    id.value = button.getAttribute("data-region");
    regionName.value = button.getAttribute("data-label");
    document.getElementById("region-suggestions").innerHTML = "";
    regionName.focus();
  });
  if (regionName) regionName.addEventListener("input", function () {
    Array.prototype.forEach.call(regionIds(), function (input) {
      if (input.type === "hidden") input.value = ""; else input.checked = false;
    });
  });

  // htmx (about 16 kB compressed, as much as the rest of the page) only once the reporter reaches
  // for the register search or "Add another person": the form paints sooner and weighs less on a
  // slow connection (issue 18). A click or search made while it loads is replayed once it is in.
  var htmxState = window.htmx ? "ready" : "none";
  var pending = [];
  function withHtmx(then) {
    if (htmxState === "ready") return;
    if (then && pending.indexOf(then) === -1) pending.push(then);
    if (htmxState === "loading") return;
    htmxState = "loading";
    var script = document.createElement("script");
    script.src = form.getAttribute("data-htmx-src");
    script.onload = function () {
      htmxState = "ready";
      window.htmx.process(document.body);
      pending.splice(0).forEach(function (replay) { replay(); });
    };
    script.onerror = function () { htmxState = "none"; pending = []; };
    document.head.appendChild(script);
  }
  function wantsHtmx(element) {
    return element && element.closest && element.closest("#add-person, [data-person] input[type='search'], #id_region_name");
  }
  ["focusin", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, function (event) { if (wantsHtmx(event.target)) withHtmx(); });
  });
  var replays = {};
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#add-person");
    if (button && htmxState !== "ready") {
      replays.add = replays.add || function () { button.click(); };
      withHtmx(replays.add);
    }
  });
  document.addEventListener("input", function (event) {
    var search = event.target;
    if (htmxState === "ready" || !wantsHtmx(search) || (search.type !== "search" && search.id !== "id_region_name")) {
      return;
    }
    replays[search.id] = replays[search.id] || function () { window.htmx.trigger(search, "search"); };
    withHtmx(replays[search.id]);
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
    if (last && !form.hasAttribute("data-restoring")) last.focus();  // not while draft.js refills the form
  });

  // One click sends once: the button is disabled while the upload runs. The server
  // also makes a repeated submission return the first report.
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-report");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
