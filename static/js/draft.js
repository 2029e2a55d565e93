/* An opt-in draft of the report form, kept in this phone's localStorage (issue 18), so that a
   report survives a dropped connection or a closed tab.

   - Off until the reporter ticks "Keep a draft on this phone"; unticking deletes it.
   - Only what happened and who is reported: never the reporter's identity (name, address, NIK,
     phone, e-mail, nor the anonymous/identified choice), nor files, nor the tokens. The list of
     kept fields below is an allow-list: a field added to the form later is not kept until named here.
   - Nothing is sent anywhere: the draft never leaves the phone until the reporter presses Send,
     as the form itself.
   - Deleted on a successful send (the receipt page carries data-draft-clear="on-load"), on "Leave
     this page" of the tracking page (data-draft-clear="on-submit"), with "Delete the draft", when
     the box is unticked, and when it is a week old.
   Without JavaScript (or storage) the box stays hidden and the form works as before. */
(function () {
  "use strict";
  var KEY = "netral.report-draft.v1";
  var MAX_AGE = 7 * 24 * 3600 * 1000;  // a draft untouched for a week is deleted, not restored
  var KEPT = /^(election|region_name|place|occurred_on|known_on|description|violations|links|persons-\d+-(employee|name|position|unit))$/;

  function storage() {
    try {
      var probe = window.localStorage;
      probe.getItem(KEY);
      return probe;
    } catch (error) {  // storage off (private mode, a policy): no draft, no box
      return null;
    }
  }
  var store = storage();
  if (!store) return;

  function clear() { store.removeItem(KEY); }

  // The receipt and the tracking page's exit: the draft goes.
  document.querySelectorAll("[data-draft-clear='on-load']").forEach(clear);
  document.addEventListener("submit", function (event) {
    if (event.target.closest("[data-draft-clear='on-submit']")) clear();
  });

  var form = document.getElementById("report-form");
  var box = document.getElementById("draft");
  if (!form || !box) return;
  var keep = document.getElementById("draft-keep");
  var restored = document.getElementById("draft-restored");

  function keptFields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && KEPT.test(field.name) && field.type !== "file" && field.type !== "password";
    });
  }

  function read() {
    try {
      var draft = JSON.parse(store.getItem(KEY) || "null");
      if (draft && !(Date.now() - draft.saved < MAX_AGE)) {
        clear();
        return null;
      }
      return draft && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  // Person blocks beyond the first are added by htmx: until they are back on the page, their
  // fields stay in the draft as they were.
  var waiting = {};
  function save() {
    var fields = {};
    Object.keys(waiting).forEach(function (name) {
      if (!form.elements.namedItem(name)) fields[name] = waiting[name];
    });
    keptFields().forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (!fields[field.name]) fields[field.name] = [];
        if (field.checked) fields[field.name].push(field.value);
      } else if (field.value) {
        fields[field.name] = field.value;
      }
    });
    try {
      store.setItem(KEY, JSON.stringify({ saved: Date.now(), fields: fields }));
    } catch (error) {  // storage full: the form still works, the draft is simply not kept
    }
  }

  function restore(draft, prefix) {
    keptFields().forEach(function (field) {
      if (!(field.name in draft.fields) || (prefix && field.name.indexOf(prefix) !== 0)) return;
      var value = draft.fields[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = Array.isArray(value) && value.indexOf(field.value) !== -1;
      } else if (typeof value === "string") {
        field.value = value;
      }
    });
    // Open each group of prohibited acts that holds a ticked one.
    form.querySelectorAll("details.group").forEach(function (group) {
      if (group.querySelector("input:checked")) group.open = true;
    });
  }

  function reset() {
    keptFields().forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = field.defaultChecked;
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) { option.selected = option.defaultSelected; });
      } else {
        field.value = field.defaultValue;
      }
    });
  }

  var timer = null;
  function saveSoon() {
    if (!keep.checked) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }
  form.addEventListener("input", saveSoon);
  form.addEventListener("change", saveSoon);

  keep.addEventListener("change", function () {
    if (keep.checked) {
      save();
    } else {
      window.clearTimeout(timer);
      waiting = {};
      clear();
      restored.hidden = true;
    }
  });

  document.getElementById("draft-clear").addEventListener("click", function () {
    window.clearTimeout(timer);
    waiting = {};
    clear();
    reset();
    keep.checked = false;
    restored.hidden = true;
    keep.focus();
  });

  // The person blocks the draft has beyond those on the page: "Add another person" for each, one
  // after the other (report.js loads htmx for it), and their fields filled as each arrives.
  function personsWanted(draft) {
    var wanted = 0;
    Object.keys(draft.fields).forEach(function (name) {
      var match = /^persons-(\d+)-/.exec(name);
      if (match && draft.fields[name]) wanted = Math.max(wanted, parseInt(match[1], 10) + 1);
    });
    return wanted;
  }
  function addPersons(draft) {
    var add = document.getElementById("add-person");
    var count = form.querySelectorAll("[data-person]").length;
    if (!add || add.hidden || count >= personsWanted(draft)) return;
    Object.keys(draft.fields).forEach(function (name) {
      var match = /^persons-(\d+)-/.exec(name);
      if (match && parseInt(match[1], 10) >= count) waiting[name] = draft.fields[name];
    });
    form.setAttribute("data-restoring", "");  // report.js leaves the focus where it is
    document.body.addEventListener("htmx:afterSwap", function next(event) {
      if (event.detail.target.id !== "persons") return;
      var blocks = form.querySelectorAll("[data-person]");
      restore(draft, blocks[blocks.length - 1].getAttribute("data-person") + "-");
      if (blocks.length >= personsWanted(draft) || add.hidden) {
        document.body.removeEventListener("htmx:afterSwap", next);
        form.removeAttribute("data-restoring");
        waiting = {};
        if (keep.checked) save();
      } else {
        add.click();
      }
    });
    add.click();
  }

  box.hidden = false;
  var draft = read();
  // A form sent back with errors already shows what the reporter typed: the server's copy wins.
  if (draft && !document.getElementById("form-errors")) {
    restore(draft);
    restored.hidden = false;
    addPersons(draft);
  }
  keep.checked = Boolean(draft);
  if (draft) save();  // the draft follows the page from now on (a field restored, or the server's copy)
})();
