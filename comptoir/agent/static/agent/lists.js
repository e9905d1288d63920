// Ticket lists: keyboard moves (j/k), selection (x), opening (Enter), the bulk bar and view-form rows.
(function () {
  "use strict";

  function rows() { return Array.from(document.querySelectorAll("[data-ticket-row]")); }

  function typingInField(event) {
    var t = event.target;
    return t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].indexOf(t.tagName) !== -1) && t.type !== "checkbox";
  }

  function focusRow(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (r) { r.classList.remove("is-focused"); });
    all[index].classList.add("is-focused");
    all[index].focus();
  }

  function currentIndex() {
    return rows().findIndex(function (r) { return r.classList.contains("is-focused"); });
  }

  function updateSelected() {
    var count = document.querySelectorAll("[data-row-select]:checked").length;
    var badge = document.querySelector("[data-selected-count] b");
    if (badge) badge.textContent = String(count);
    rows().forEach(function (r) {
      var box = r.querySelector("[data-row-select]");
      r.classList.toggle("is-selected", !!(box && box.checked));
    });
  }

  function showActionFields() {
    var select = document.querySelector("[data-bulk-action]");
    if (!select) return;
    document.querySelectorAll("[data-for-action]").forEach(function (label) {
      var actions = label.getAttribute("data-for-action").split(" ");
      label.hidden = actions.indexOf(select.value) === -1;
    });
  }

  function next() { focusRow(currentIndex() + 1); }
  function previous() { var i = currentIndex(); focusRow(i < 0 ? 0 : i - 1); }
  function toggle() {
    var index = currentIndex();
    if (index < 0) return;
    var box = rows()[index].querySelector("[data-row-select]");
    if (box) { box.checked = !box.checked; updateSelected(); }
  }

  // j/k/x go through the workspace's shortcut registry (app.js) when it is there, so they
  // show in the "?" help; otherwise through a listener of our own.
  var shortcuts = window.Comptoir && window.Comptoir.shortcuts;
  if (shortcuts) {
    shortcuts.register("j", "Next ticket", function () { if (rows().length) next(); });
    shortcuts.register("k", "Previous ticket", function () { if (rows().length) previous(); });
    shortcuts.register("x", "Select ticket", toggle);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event)) return;
    if (!rows().length) return;
    if (!shortcuts && event.key === "j") { next(); event.preventDefault(); }
    else if (!shortcuts && event.key === "k") { previous(); event.preventDefault(); }
    else if (!shortcuts && event.key === "x") { toggle(); event.preventDefault(); }
    else if (event.key === "Enter" && event.target.matches("[data-ticket-row]")) {
      var row = event.target;
      var link = row.querySelector("[data-row-link]") || row.querySelector("a");
      if (link) { window.location.href = link.href; event.preventDefault(); }
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-row-select]")) updateSelected();
    if (event.target.matches("[data-bulk-action]")) showActionFields();
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove-row]");
    if (remove) { remove.closest("[data-condition-row]").remove(); return; }
    var row = event.target.closest("[data-ticket-row]");
    if (row && !event.target.closest("a, input, button")) {
      focusRow(rows().indexOf(row));
    }
  });

  function init() { showActionFields(); updateSelected(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
