/**
 * The chat page's browser script, served at `/assets/chat.js`. Plain ES2017, no framework, no template
 * literals (this file holds it as a string). Everything that comes from the server is inserted with
 * `textContent` or as attribute values of elements built with `createElement`: never as HTML.
 * Links from the server are accepted only when app-relative or http(s), so a `javascript:` URL cannot
 * slip in. The conversation is kept in `sessionStorage`, so that coming back from a source page (the
 * page is often inside an LMS iframe: links open in the same frame, never in a popup) restores it.
 */
export const CHAT_JS = String.raw`(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root) return;
  var T = JSON.parse(root.getAttribute("data-i18n") || "{}");
  var lang = root.getAttribute("data-lang") || "en";
  var base = root.getAttribute("data-root") || "./";
  var maxChars = Number(root.getAttribute("data-max") || "2000");
  var STORE = "fce-coach-chat-v1";

  var form = document.getElementById("ask-form");
  var input = document.getElementById("question");
  var label = document.getElementById("question-label");
  var button = document.getElementById("ask-button");
  var newButton = document.getElementById("new-conversation");
  var transcript = document.getElementById("transcript");
  var status = document.getElementById("ask-status");
  var examples = document.getElementById("examples");

  function tr(key, vars) {
    var s = T[key] || key;
    if (vars) s = s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m; });
    return s;
  }

  function load() {
    try {
      var raw = window.sessionStorage.getItem(STORE);
      var s = raw ? JSON.parse(raw) : null;
      if (s && Array.isArray(s.turns)) return { conversationId: s.conversationId || null, turns: s.turns, feedback: s.feedback || {} };
    } catch (e) { /* storage blocked (third-party iframe) or corrupt: start afresh */ }
    return { conversationId: null, turns: [], feedback: {} };
  }
  function save() {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* not fatal */ }
  }
  var state = load();

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null) continue;
        if (k === "text") node.textContent = String(attrs[k]);
        else node.setAttribute(k, String(attrs[k]));
      }
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  /** App links get the page's language; external links are kept as they are; anything else is refused. */
  function safeUrl(u) {
    if (typeof u !== "string" || !u) return null;
    var internal = false;
    if (u.charAt(0) === "/" && u.charAt(1) !== "/" && u.charAt(1) !== "\\") { u = base + u.slice(1); internal = true; }
    else if (/^https?:\/\//i.test(u)) {
      try { internal = new URL(u).origin === window.location.origin; } catch (e) { return null; }
    } else if (/^[A-Za-z0-9._~%-]+(\/|\?|#|$)/.test(u) && !/^[^\/?#]*:/.test(u)) { internal = true; }
    else return null;
    if (!internal || /[?&]lang=/.test(u)) return u;
    var hashAt = u.indexOf("#");
    var hash = hashAt >= 0 ? u.slice(hashAt) : "";
    var path = hashAt >= 0 ? u.slice(0, hashAt) : u;
    return path + (path.indexOf("?") >= 0 ? "&" : "?") + "lang=" + encodeURIComponent(lang) + hash;
  }

  function link(url, attrs, children) {
    var href = safeUrl(url);
    if (!href) return el("span", { "class": attrs && attrs["class"] }, children);
    var a = el("a", attrs, children);
    a.setAttribute("href", href);
    return a;
  }

  function age(date) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(date || "");
    if (!m) return null;
    var now = new Date();
    var months = (now.getFullYear() - Number(m[1])) * 12 + (now.getMonth() + 1 - Number(m[2] || 1));
    if (now.getDate() < Number(m[3] || 1)) months -= 1;
    if (months < 0) return null;
    if (months < 1) return { text: tr("chat.ageRecent"), months: months };
    if (months < 12) return { text: tr("chat.ageMonths", { n: months }), months: months };
    var years = Math.floor(months / 12);
    return { text: years === 1 ? tr("chat.ageYear") : tr("chat.ageYears", { n: years }), months: months };
  }

  function dateNode(date) {
    if (!date) return el("span", { "class": "source-date", text: tr("chat.undated") });
    var a = age(date);
    var node = el("span", { "class": "source-date" + (a && a.months >= 36 ? " old" : "") }, [el("time", { datetime: date, text: date })]);
    if (a) node.appendChild(document.createTextNode(" (" + a.text + ")"));
    return node;
  }

  /** The answer text with its [n] markers turned into superscript links to the cited passages. */
  function answerText(answer, citations) {
    var byN = {};
    (citations || []).forEach(function (c) { byN[c.n] = c; });
    var box = el("div", { "class": "answer-text" });
    String(answer || "").split(/\n+/).forEach(function (para) {
      if (!para.trim()) return;
      var p = el("p");
      var re = /\s*\[(\d{1,3})\]/g;
      var last = 0;
      var m;
      while ((m = re.exec(para))) {
        var c = byN[Number(m[1])];
        if (!c) continue;
        if (m.index > last) p.appendChild(document.createTextNode(para.slice(last, m.index)));
        var a = link(c.url, { "class": "cite", "aria-label": tr("chat.citation", { n: c.n, title: c.title || "" }), title: (c.title || "") + (c.date ? " (" + c.date + ")" : "") }, [String(c.n)]);
        p.appendChild(el("sup", null, [a]));
        last = m.index + m[0].length;
      }
      if (last < para.length) p.appendChild(document.createTextNode(para.slice(last)));
      box.appendChild(p);
    });
    return box;
  }

  function sourcesList(citations) {
    var ol = el("ol", { "class": "sources" });
    citations.forEach(function (c) {
      var li = el("li", { value: c.n }, [
        el("div", { "class": "source-head" }, [
          link(c.url, { "class": "source-title", title: tr("chat.openSource") }, [c.title || c.documentId || ""]),
          dateNode(c.date)
        ]),
        c.quote ? el("blockquote", { "class": "source-quote", text: c.quote }) : null
      ]);
      ol.appendChild(li);
    });
    return ol;
  }

  function relatedList(related) {
    var ul = el("ul", { "class": "related" });
    related.forEach(function (r) {
      ul.appendChild(el("li", null, [
        el("div", { "class": "source-head" }, [link(r.url, { "class": "source-title" }, [r.title || r.chunkId || ""])]),
        r.text ? el("blockquote", { "class": "source-quote", text: r.text }) : null
      ]));
    });
    return ul;
  }

  function sendFeedback(answerId, body, box) {
    var err = box.querySelector(".feedback-error");
    if (err) err.remove();
    Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.disabled = true; });
    return fetch(base + "api/answers/" + encodeURIComponent(answerId) + "/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (!res.ok) return errorMessage(res).then(function (msg) { throw new Error(msg); });
      state.feedback[answerId] = body.helpful ? "up" : "down";
      save();
      box.replaceWith(feedbackBox(answerId));
    }).catch(function (e) {
      Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.disabled = false; });
      box.appendChild(el("p", { "class": "error-box feedback-error", role: "alert", text: e && e.message ? e.message : tr("chat.errorNetwork") }));
    });
  }

  function feedbackBox(answerId) {
    var box = el("div", { "class": "feedback" });
    if (state.feedback[answerId]) {
      box.appendChild(el("p", { "class": "thanks", role: "status", text: tr("chat.thanks") }));
      return box;
    }
    var up = el("button", { type: "button", "class": "thumb-up", "aria-pressed": "false" }, [el("span", { "aria-hidden": "true", text: "👍 " }), tr("chat.helpful")]);
    var down = el("button", { type: "button", "class": "thumb-down", "aria-pressed": "false" }, [el("span", { "aria-hidden": "true", text: "👎 " }), tr("chat.unhelpful")]);
    box.appendChild(el("span", { text: tr("chat.feedback") }));
    box.appendChild(up);
    box.appendChild(down);
    up.addEventListener("click", function () {
      up.setAttribute("aria-pressed", "true");
      sendFeedback(answerId, { helpful: true }, box);
    });
    down.addEventListener("click", function () {
      if (box.querySelector("form")) return;
      down.setAttribute("aria-pressed", "true");
      var id = "comment-" + answerId;
      var area = el("textarea", { id: id, name: "comment", maxlength: "2000", rows: "2" });
      var send = el("button", { type: "submit", text: tr("chat.sendFeedback") });
      var f = el("form", { "class": "feedback-form" }, [el("label", { "for": id, text: tr("chat.comment") }), area, el("div", { "class": "form-row" }, [send])]);
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        var comment = area.value.trim();
        sendFeedback(answerId, comment ? { helpful: false, comment: comment } : { helpful: false }, box);
      });
      box.appendChild(f);
      area.focus();
    });
    return box;
  }

  function turnNode(turn) {
    var node = el("article", { "class": "turn" }, [
      el("div", { "class": "turn-question" }, [el("span", { "class": "label", text: tr("chat.you") }), turn.question])
    ]);
    if (turn.error) {
      node.appendChild(el("p", { "class": "error-box", role: "alert", text: turn.error }));
      return node;
    }
    var r = turn.response;
    if (!r) return node;
    var answer = el("section", { "class": "answer" + (r.abstained ? " abstained" : ""), "aria-label": tr("chat.answer") }, [
      el("span", { "class": "label", text: tr("chat.answer") })
    ]);
    var citations = Array.isArray(r.citations) ? r.citations : [];
    answer.appendChild(answerText(r.answer, citations));
    if (!r.abstained && r.mode) answer.appendChild(el("p", { "class": "mode", text: tr(r.mode === "llm" ? "chat.mode.llm" : "chat.mode.extractive") }));
    if (citations.length) {
      answer.appendChild(el("h3", { "class": "small", text: tr("chat.sources") }));
      answer.appendChild(sourcesList(citations));
    }
    var related = Array.isArray(r.related) ? r.related : [];
    if (related.length && (r.abstained || !citations.length)) {
      answer.appendChild(el("h3", { "class": "small", text: tr("chat.related") }));
      answer.appendChild(relatedList(related));
    }
    if (r.answerId) answer.appendChild(feedbackBox(r.answerId));
    node.appendChild(answer);
    return node;
  }

  function renderAll() {
    transcript.textContent = "";
    state.turns.forEach(function (turn) { transcript.appendChild(turnNode(turn)); });
    updateForm();
  }

  function updateForm() {
    var inConversation = !!state.conversationId;
    label.textContent = tr(inConversation ? "chat.followup" : "chat.question");
    newButton.hidden = state.turns.length === 0;
    if (examples) examples.hidden = state.turns.length > 0;
  }

  function errorMessage(res) {
    return res.text().then(function (text) {
      try {
        var body = JSON.parse(text);
        if (body && typeof body.error === "string" && body.error) return body.error;
      } catch (e) { /* not JSON */ }
      return tr("chat.errorGeneric", { status: res.status });
    }, function () { return tr("chat.errorGeneric", { status: res.status }); });
  }

  var busy = false;
  function ask(question) {
    if (busy) return;
    question = question.trim();
    if (!question) { status.textContent = tr("chat.emptyQuestion"); input.focus(); return; }
    if (question.length > maxChars) { status.textContent = tr("chat.tooLong", { max: maxChars }); input.focus(); return; }
    busy = true;
    button.disabled = true;
    transcript.setAttribute("aria-busy", "true");
    status.textContent = tr("chat.asking");
    var turn = { question: question, response: null, error: null };
    var payload = { question: question };
    if (state.conversationId) payload.conversationId = state.conversationId;
    var pendingNode = turnNode(turn);
    transcript.appendChild(pendingNode);
    fetch(base + "api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (res) {
      if (!res.ok) {
        return errorMessage(res).then(function (msg) {
          turn.error = msg;
          // The conversation is gone (e.g. the server's data was reset): the next question starts a new one.
          if (res.status === 404 && payload.conversationId) state.conversationId = null;
        });
      }
      return res.json().then(function (body) {
        turn.response = body;
        if (body && body.conversationId) state.conversationId = body.conversationId;
        input.value = "";
      });
    }).catch(function () {
      turn.error = tr("chat.errorNetwork");
    }).then(function () {
      state.turns.push(turn);
      save();
      pendingNode.replaceWith(turnNode(turn));
      busy = false;
      button.disabled = false;
      transcript.setAttribute("aria-busy", "false");
      status.textContent = "";
      updateForm();
      input.focus();
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    ask(input.value);
  });
  input.addEventListener("keydown", function (e) {
    // Enter asks, Shift+Enter adds a line; never while an input method (Japanese) is composing.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      ask(input.value);
    }
  });
  newButton.addEventListener("click", function () {
    state = { conversationId: null, turns: [], feedback: {} };
    save();
    renderAll();
    status.textContent = "";
    input.value = "";
    input.focus();
  });
  if (examples) {
    examples.addEventListener("click", function (e) {
      var b = e.target && e.target.closest ? e.target.closest("button[data-question]") : null;
      if (!b) return;
      input.value = b.getAttribute("data-question") || "";
      ask(input.value);
    });
  }
  renderAll();
  root.setAttribute("data-ready", "true");
})();
`;
