// The staff workspace's small behaviours, as a file (strict CSP: no inline scripts, no hx-on).
(function () {
  "use strict";

  // The page's own search (the intake's talent search) first, else the top bar's.
  function search() {
    return document.querySelector("input[data-search]") || document.querySelector("input[data-global-search]");
  }

  // Enter in the talent search searches; it must not submit the intake form.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.matches && target.matches("input[data-search]")) {
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(target, "search");
      return;
    }
    // "/" jumps to the search when not typing somewhere else. In a search box it is the
    // shortcut pressed again (no reference, name, phone or document holds a slash): it
    // selects what is there rather than typing a slash into it.
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (target.matches && target.matches("input[data-search], input[data-global-search]")) {
        event.preventDefault();
        target.select();
        return;
      }
      var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
      var box = search();
      if (!typing && box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    }
  });

  // What was typed in the talent search goes into the new talent's form (empty fields
  // only): Chinese characters as the native name, a phone number as the phone, letters as
  // the Latin name. Anything with other digits (a document number) is left to the clerk.
  function carrySearch(panel) {
    var box = document.getElementById("talent-search");
    var text = box ? box.value.trim() : "";
    if (!text) return;
    var id;
    if (/^\+?[0-9][0-9 -]{5,}$/.test(text)) id = "id_new-phone";
    else if (/[0-9]/.test(text)) return;
    else if (/[\u3400-\u9fff\uf900-\ufaff]/.test(text)) id = "id_new-native_name";
    else id = "id_new-latin_name";
    var field = document.getElementById(id);
    if (field && panel.contains(field) && !field.value) field.value = text;
  }

  // Choosing "register a new talent" opens its fields; choosing a found talent closes them.
  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!radio.matches || !radio.matches("input[type=radio][name=talent]")) return;
    // The chosen talent's open tickets are shown (links) next to the choice.
    var open = document.getElementById("intake-talent-tickets");
    if (open && window.htmx) window.htmx.trigger(open, "talent-changed");
    var panel = document.getElementById("new-talent");
    if (!panel) return;
    if (radio.hasAttribute("data-new-talent")) {
      panel.open = true;
      carrySearch(panel);
      var first = Array.prototype.find.call(panel.querySelectorAll("input, select"), function (f) { return !f.value; });
      if (first) first.focus();
    } else {
      panel.open = false;
    }
  });

  // Opening the new-talent fields by hand picks "register a new talent".
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (panel.id !== "new-talent" || !panel.open) return;
    var radio = document.querySelector("input[data-new-talent]");
    if (radio && !radio.checked) radio.checked = true;
  }, true);

  // A category suggestion, clicked, selects that category (and so swaps in its checklist).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-guidance-category]");
    if (!button) return;
    var select = document.querySelector("select[name=category]");
    if (!select) return;
    select.value = button.getAttribute("data-guidance-category");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    document.querySelectorAll("button[data-guidance-category]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  });
})();
