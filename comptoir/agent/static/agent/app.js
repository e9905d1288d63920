/* Comptoir agent workspace: keyboard shortcut registry and small behaviours. No build step.
 *
 * Other modules register shortcuts with:
 *   window.Comptoir.shortcuts.register("j", "Next ticket", () => {...})
 * A shortcut is ignored while typing in a field, and whenever a modifier key is held.
 */
(function () {
  "use strict";
  const registry = new Map();

  function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // Translated descriptions rendered by the server (base.html); the English text is the fallback.
  function labels() {
    const node = document.getElementById("shortcut-labels");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }

  function register(key, description, handler) {
    registry.set(key, { description: description, handler: handler });
  }

  // Where the focus was before the help opened, so that closing it puts the agent back there.
  let focusBeforeHelp = null;

  function showHelp() {
    const overlay = document.getElementById("shortcut-help");
    if (!overlay) return;
    focusBeforeHelp = document.activeElement;
    const list = overlay.querySelector("[data-shortcut-list]");
    list.textContent = "";
    registry.forEach(function (entry, key) {
      const dt = document.createElement("dt");
      dt.textContent = key;
      const dd = document.createElement("dd");
      dd.textContent = labels()[key] || entry.description;
      list.append(dt, dd);
    });
    overlay.hidden = false;
    overlay.querySelector("[data-close-overlay]").focus();
  }

  function hideHelp() {
    const overlay = document.getElementById("shortcut-help");
    if (!overlay || overlay.hidden) return;
    overlay.hidden = true;
    if (focusBeforeHelp && document.contains(focusBeforeHelp)) focusBeforeHelp.focus();
    focusBeforeHelp = null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hideHelp(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const entry = registry.get(event.key);
    if (entry) { event.preventDefault(); entry.handler(event); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-overlay]")) hideHelp();
  });

  // Clicking an element with data-shortcut-click triggers the matching shortcut's element.
  function clickSelector(selector) {
    return function () {
      const el = document.querySelector(selector);
      if (el) { el.click(); }
    };
  }

  register("?", "Show shortcuts", showHelp);
  register("/", "Search", function () { const s = document.getElementById("topbar-search"); if (s) s.focus(); });
  // Ticket page shortcuts: they act only when the page provides the target element.
  register("r", "Reply", clickSelector("[data-shortcut='r']"));
  register("n", "Internal note", clickSelector("[data-shortcut='n']"));
  register("a", "Assign to me", clickSelector("[data-shortcut='a']"));
  register("s", "Send and solve", solve);

  // "s": with a reply written, send it and solve; with nothing to send, solve the ticket from
  // the properties panel (its status select saves on change, through the same action as a click).
  function solve() {
    const composer = document.querySelector("[data-composer]");
    const body = composer && composer.querySelector("textarea");
    const button = document.querySelector("[data-shortcut='s']");
    if (button && composer.dataset.mode === "reply" && body && body.value.trim()) { button.click(); return; }
    const select = document.getElementById("prop-status");
    const solved = select && !select.matches(":disabled") && select.querySelector("option[data-category='solved']");
    if (!solved || select.value === solved.value) return;
    select.value = solved.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Composer mode switch (reply / reply all / note) without a round trip.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-composer-mode]");
    if (!button) return;
    const composer = button.closest("[data-composer]");
    const mode = button.dataset.composerMode;
    composer.dataset.mode = mode === "note" ? "note" : "reply";
    composer.querySelector("input[name=mode]").value = mode;
    composer.querySelectorAll("[data-composer-mode]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    composer.querySelectorAll("[data-reply-only]").forEach(function (el) { el.hidden = mode === "note"; });
    composer.querySelectorAll("[data-cc-only]").forEach(function (el) { el.hidden = mode !== "reply_all"; });
    const body = composer.querySelector("textarea");
    if (body) body.focus();
  });

  // @mention: after typing "@abc" in a note, fetch matching agents into the suggestion list.
  document.addEventListener("input", function (event) {
    const area = event.target.closest("textarea[data-mention-url]");
    if (!area) return;
    const before = area.value.slice(0, area.selectionStart);
    const match = /@([\w.\-]{1,30})$/.exec(before);
    const list = document.getElementById(area.dataset.mentionList);
    if (!list) return;
    if (!match || area.closest("[data-composer]").dataset.mode !== "note") { list.textContent = ""; return; }
    if (window.htmx) {
      const url = area.dataset.mentionUrl;
      window.htmx.ajax("GET", url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(match[1]), { target: list, swap: "innerHTML" });
    }
  });
  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-mention]");
    if (!pick) return;
    const list = pick.closest("[data-mention-for]");
    const area = document.getElementById(list.dataset.mentionFor);
    const before = area.value.slice(0, area.selectionStart).replace(/@[\w.\-]*$/, "@" + pick.dataset.mention + " ");
    area.value = before + area.value.slice(area.selectionStart);
    list.textContent = "";
    area.focus();
  });

  // Ticket tabs load their panel with htmx; mark the clicked tab as the selected one (the header
  // is not re-rendered), so that sighted and screen-reader users both know where they are.
  // Only the selected tab is in the Tab order (roving tabindex, WAI-ARIA tabs pattern).
  document.addEventListener("click", function (event) {
    const tab = event.target.closest(".tabs [role=tab][hx-get]");
    if (!tab) return;
    tab.closest("[role=tablist]").querySelectorAll("[role=tab]").forEach(function (t) {
      t.setAttribute("aria-selected", String(t === tab));
      t.setAttribute("tabindex", t === tab ? "0" : "-1");
    });
    const panel = document.getElementById(tab.getAttribute("aria-controls"));
    if (panel) panel.setAttribute("aria-labelledby", tab.id);
  });

  // Arrow keys, Home and End move the focus between the tabs (wrapping around); Enter or Space
  // opens the focused tab. Activation is manual because each tab loads from the server: arrowing
  // past a tab should not fetch it.
  const TAB_KEYS = { ArrowLeft: -1, ArrowRight: 1, Home: "first", End: "last" };
  document.addEventListener("keydown", function (event) {
    const tab = event.target.closest && event.target.closest("[role=tablist] [role=tab]");
    if (!tab || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " ") { event.preventDefault(); tab.click(); return; }
    const move = TAB_KEYS[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const tabs = Array.from(tab.closest("[role=tablist]").querySelectorAll("[role=tab]"));
    const here = tabs.indexOf(tab);
    const next = move === "first" ? tabs[0] : move === "last" ? tabs[tabs.length - 1]
      : tabs[(here + move + tabs.length) % tabs.length];
    // The selected tab keeps tabindex=0, so Tab back into the list lands on it (as the pattern asks).
    next.focus();
  });

  window.Comptoir = window.Comptoir || {};
  window.Comptoir.shortcuts = { register: register, showHelp: showHelp, entries: registry };
})();
