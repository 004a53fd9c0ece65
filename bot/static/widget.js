/* Carrier-privacy help widget: one script tag on any page.
 *
 *   <script src="https://BOT-HOST/widget.js" data-locale="fr-FR" defer></script>
 *
 * Options (data attributes): data-locale, data-position ("right" or "left"),
 * data-accent (a CSS colour), data-title. It posts Bot Framework message
 * activities to BOT-HOST/api/widget/messages and shows the replies. Its words
 * (and the languages it offers) come from BOT-HOST/widget-strings.json, the bot's
 * string catalogue. The conversation is kept for the tab (sessionStorage), so it
 * goes on across the site's pages.
 * No framework, no eval, no inline script or style: it works under a strict
 * Content-Security-Policy. Text from the bot and the user is always inserted
 * as text (createTextNode / textContent), never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__carrierPrivacyWidget) { return; }
  window.__carrierPrivacyWidget = true;

  var origin = new URL(script.src, document.baseURI).origin;
  var endpoint = origin + "/api/widget/messages";
  var stringsUrl = origin + "/widget-strings.json";
  var customTitle = script.dataset.title || "";
  // { defaultLocale, locales: [{ locale, name }], strings: { language: { key: text } } }
  var catalog = null;
  var locale = "en-US";

  // Kept for the tab across the site's pages; never in localStorage (it would
  // outlive the visit) and never sent anywhere.
  var STORE_KEY = "cpw:" + origin;
  var MAX_KEPT = 40; // messages carried to the next page; older ones are dropped
  var state = loadState() || {
    conversation: "w-" + Math.random().toString(36).slice(2) + Date.now().toString(36),
    user: "u-" + Math.random().toString(36).slice(2),
    locale: null, // the language picked in the menu, if any
    open: false,
    log: [] // { user: "text" } or { bot: activity }
  };

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      return saved && typeof saved.conversation === "string" && Array.isArray(saved.log) ? saved : null;
    } catch (e) { return null; }
  }

  function saveState() {
    state.log = state.log.slice(-MAX_KEPT);
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* storage off or full */ }
  }

  function pickLocale(wanted) {
    var tag = String(wanted || "").replace("_", "-").toLowerCase();
    var codes = catalog.locales.map(function (entry) { return entry.locale; });
    var i;
    for (i = 0; i < codes.length; i++) { if (codes[i].toLowerCase() === tag) { return codes[i]; } }
    for (i = 0; i < codes.length; i++) { if (codes[i].slice(0, 2).toLowerCase() === tag.slice(0, 2)) { return codes[i]; } }
    return null;
  }

  function t(key, values) {
    var strings = catalog.strings[locale.split("-")[0]] || catalog.strings[catalog.defaultLocale.split("-")[0]];
    var text = strings[key];
    Object.keys(values || {}).forEach(function (name) { text = text.replace("{" + name + "}", String(values[name])); });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, document.baseURI);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  function link(text, url) {
    var href = safeUrl(url);
    if (!href) { return document.createTextNode(text); }
    var a = el("a", "", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // Inline markdown of the notices: [text](url) links, nothing else.
  function inline(parent, text) {
    var pattern = /\[([^\]]*)\]\(([^)\s]+)\)/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(link(match[1], match[2]));
      last = pattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Block markdown of the notices: paragraphs and "- " lists.
  function blocks(parent, text, className) {
    String(text).split(/\n\s*\n/).forEach(function (chunk) {
      var lines = chunk.split("\n");
      if (lines.every(function (line) { return /^\s*-\s+/.test(line); })) {
        var list = el("ul", className);
        lines.forEach(function (line) { var item = el("li"); inline(item, line.replace(/^\s*-\s+/, "")); list.appendChild(item); });
        parent.appendChild(list);
      } else {
        var p = el("p", className);
        inline(p, chunk);
        parent.appendChild(p);
      }
    });
  }

  // A speech bubble, drawn as SVG so it needs no emoji font.
  function bubbleIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M5 4h14a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-8l-5 4v-4H5a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z");
    svg.appendChild(path);
    return svg;
  }

  // --- the DOM ---------------------------------------------------------------
  var root = el("div", "cpw-root" + (script.dataset.position === "left" ? " cpw-left" : ""));
  if (script.dataset.accent) { root.style.setProperty("--cpw-accent", script.dataset.accent); }
  var launcher = el("button", "cpw-launcher");
  launcher.type = "button";
  launcher.appendChild(bubbleIcon());
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "cpw-panel");
  var panel = el("div", "cpw-panel");
  panel.id = "cpw-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "cpw-title");
  var header = el("div", "cpw-header");
  var title = el("h2", "cpw-title");
  title.id = "cpw-title";
  var languageLabel = el("label", "cpw-sr");
  languageLabel.htmlFor = "cpw-language";
  var language = el("select");
  language.id = "cpw-language";
  var close = el("button", "cpw-close", "✕");
  close.type = "button";
  var log = el("div", "cpw-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  var form = el("form", "cpw-form");
  var inputLabel = el("label", "cpw-sr");
  inputLabel.htmlFor = "cpw-input";
  var input = el("input", "cpw-input");
  input.id = "cpw-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 1000;
  var send = el("button", "cpw-send");
  send.type = "submit";
  header.appendChild(title);
  header.appendChild(languageLabel);
  header.appendChild(language);
  header.appendChild(close);
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  function applyStrings() {
    title.textContent = customTitle || t("title");
    launcher.setAttribute("aria-label", t("open"));
    close.setAttribute("aria-label", t("close"));
    close.title = t("close");
    languageLabel.textContent = t("language");
    language.value = locale;
    inputLabel.textContent = t("question");
    input.placeholder = t("placeholder");
    send.textContent = t("send");
    panel.lang = locale;
  }

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    state.open = open;
    saveState();
    if (moveFocus === false) { return; }
    if (open) { input.focus(); } else { launcher.focus(); }
  }

  // --- messages ----------------------------------------------------------------
  function say(kind, build) {
    var item = el("div", "cpw-msg cpw-" + kind);
    var who = el("span", "cpw-sr", t(kind === "user" ? "you" : "bot") + " ");
    item.appendChild(who);
    build(item);
    log.appendChild(item);
    // Answers can be long: show where they start, not where they end.
    log.scrollTop = kind === "user" ? log.scrollHeight : item.offsetTop - log.offsetTop - 8;
    return item;
  }

  function showUser(text) {
    say("user", function (item) { item.appendChild(document.createTextNode(text)); });
  }

  function showError(message) {
    say("bot cpw-error", function (item) { item.appendChild(document.createTextNode(message)); });
  }

  function actionButton(action, label) {
    var text = label || action.title;
    if (action.type === "Action.OpenUrl") {
      return link(text, action.url);
    }
    var button = el("button", "", text);
    button.type = "button";
    button.addEventListener("click", function () {
      var data = {};
      Object.keys(action.data || {}).forEach(function (key) { if (key !== "msteams") { data[key] = action.data[key]; } });
      ask(text, data);
    });
    return button;
  }

  // The text an element shows (a choice row's label).
  function textOf(element) {
    if (element.type === "TextBlock") { return element.text || ""; }
    return (element.items || element.columns || []).map(textOf).join(" ").trim();
  }

  // Adaptive Card elements the bot sends: TextBlocks, rows and columns that act
  // on a click (selectAction), their containers, and action sets.
  function renderElements(parent, elements) {
    var row = null;
    (elements || []).forEach(function (element) {
      if (element.selectAction) {
        // Consecutive choices share one list of buttons.
        if (!row) { row = el("div", "cpw-actions"); parent.appendChild(row); }
        row.appendChild(actionButton(element.selectAction, textOf(element)));
        return;
      }
      row = null;
      if (element.type === "TextBlock") {
        blocks(parent, element.text, element.weight === "Bolder" ? "cpw-source" : element.isSubtle ? "cpw-subtle" : "");
      } else if (element.type === "ActionSet") {
        var actions = el("div", "cpw-actions");
        (element.actions || []).forEach(function (action) { actions.appendChild(actionButton(action)); });
        parent.appendChild(actions);
      } else if (element.type === "Container" || element.type === "Column") {
        renderElements(parent, element.items);
      } else if (element.type === "ColumnSet") {
        renderElements(parent, element.columns);
      }
    });
  }

  function renderCard(item, card) {
    renderElements(item, card.body);
    if (card.actions && card.actions.length) { renderElements(item, [{ type: "ActionSet", actions: card.actions }]); }
  }

  function renderActivity(activity) {
    state.log.push({ bot: { text: activity.text, attachments: activity.attachments } });
    saveState();
    say("bot", function (item) {
      var cards = (activity.attachments || []).filter(function (a) {
        return a.contentType === "application/vnd.microsoft.card.adaptive" && a.content;
      });
      if (cards.length) { cards.forEach(function (a) { renderCard(item, a.content); }); }
      else { blocks(item, activity.text || "", ""); }
    });
  }

  var busy = false;

  function ask(shown, value) {
    if (busy) { return; }
    var typed = value ? null : shown;
    showUser(shown);
    state.log.push({ user: shown });
    saveState();
    var body = {
      type: "message",
      channelId: "webchat",
      locale: locale,
      from: { id: state.user, role: "user" },
      conversation: { id: state.conversation },
      text: value ? "" : shown
    };
    if (value) { body.value = value; }
    busy = true;
    send.disabled = true;
    fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" })
      .then(function (response) {
        if (response.status === 429) {
          throw { message: t("busy", { seconds: response.headers.get("Retry-After") || "10" }) };
        }
        if (!response.ok) { throw { message: t("failed", { status: response.status }) }; }
        return response.json();
      })
      .then(function (payload) {
        (payload.activities || []).forEach(function (activity) {
          if (activity.type === "message") { renderActivity(activity); }
        });
      })
      .catch(function (error) {
        showError(error && error.message && !(error instanceof Error) ? error.message : t("offline"));
        if (typed !== null && !input.value) { input.value = typed; }
      })
      .then(function () {
        busy = false;
        send.disabled = false;
      });
  }

  // --- events ------------------------------------------------------------------
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); setOpen(false); }
  });
  language.addEventListener("change", function () {
    locale = pickLocale(language.value) || locale;
    state.locale = locale;
    saveState();
    applyStrings();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) { return; }
    input.value = "";
    ask(text, null);
  });

  function mount() {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = origin + "/widget.css";
    document.head.appendChild(css);
    catalog.locales.forEach(function (entry) {
      var option = el("option", "", entry.name);
      option.value = entry.locale;
      option.lang = entry.locale;
      language.appendChild(option);
    });
    locale = pickLocale(state.locale) || pickLocale(script.dataset.locale) || pickLocale(navigator.language) ||
      catalog.defaultLocale;
    applyStrings();
    document.body.appendChild(root);
    // The conversation so far, as it was on the previous page.
    var kept = state.log;
    state.log = [];
    kept.forEach(function (entry) {
      if (typeof entry.user === "string") { showUser(entry.user); state.log.push(entry); }
      else if (entry.bot) { renderActivity(entry.bot); }
    });
    saveState();
    if (state.open) { setOpen(true, false); }
  }

  function start() {
    fetch(stringsUrl, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error("strings: " + response.status); }
        return response.json();
      })
      .then(function (loaded) {
        catalog = loaded;
        if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
      })
      .catch(function (error) {
        // Without its words the widget cannot speak: it stays away.
        if (window.console) { window.console.warn("carrier-privacy widget not shown:", error.message); }
      });
  }

  start();
})();
