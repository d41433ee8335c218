/**
 * The workshop pages' browser script, served at `/assets/workshop.js`. Plain ES2017, no framework, no
 * template literals (this file holds it as a string). Server data is inserted with `textContent` or
 * as attribute values of created elements, never as HTML; links are accepted only when app-relative.
 *
 * Modes (the `data-mode` of the page's root element):
 * - `room` (participant): listens to the workshop's events and reloads the page when the facilitator
 *   opens, closes or reveals a case (a fresh snapshot after a reconnect does the same if it missed one).
 * - `home` (facilitator): keeps the facilitator token in sessionStorage (or takes an LMS session from
 *   `?session=`), lists workshops, creates one.
 * - `console` (facilitator): the controls, the live view (SSE with a read-only view token; the browser
 *   reconnects by itself and sends Last-Event-ID), the results tables and the CSV downloads.
 * - `screen` (projector): the live view only.
 */
import { registerAsset } from "../web/assets/index.js";

export const WORKSHOP_JS = String.raw`(function () {
  "use strict";
  var root = document.querySelector("[data-mode]");
  if (!root) return;
  var mode = root.getAttribute("data-mode");
  var lang = root.getAttribute("data-lang") || "en";
  var base = root.getAttribute("data-root") || "./";
  var T = {};
  try { T = JSON.parse(root.getAttribute("data-i18n") || "{}"); } catch (e) { T = {}; }
  var CRED = "fce-workshop-credential";
  var memoryCred = null;

  function tr(key, vars) {
    var s = T[key] || key;
    if (vars) s = s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m; });
    return s;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === undefined || attrs[k] === null || attrs[k] === false) continue;
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
  function clear(node) { while (node && node.firstChild) node.removeChild(node.firstChild); }
  function local(en, ja) { return lang === "ja" && ja ? ja : en; }
  function withLang(u) {
    var hashAt = u.indexOf("#");
    var hash = hashAt >= 0 ? u.slice(hashAt) : "";
    var path = hashAt >= 0 ? u.slice(0, hashAt) : u;
    return path + (path.indexOf("?") >= 0 ? "&" : "?") + "lang=" + encodeURIComponent(lang) + hash;
  }
  /** A root-relative app URL ("/sources/x?chunk=y#y") as a link from this page; anything else is refused. */
  function appHref(u) {
    if (typeof u !== "string" || u.charAt(0) !== "/" || u.charAt(1) === "/" || u.charAt(1) === "\\") return null;
    return withLang(base + u.slice(1));
  }
  function fieldLabel(f) { var k = "field." + f; return T[k] || f; }
  function typeLabel(t) { var k = "type." + t; return T[k] || t; }
  function badge(text, tone) { return el("span", { "class": "badge" + (tone ? " " + tone : ""), text: text }); }
  function pct(n, d) { return d > 0 ? Math.round((n * 100) / d) : 0; }

  // -------------------------------------------------------------------------------------------
  // Participant room

  function room() {
    var url = root.getAttribute("data-events");
    if (!url || typeof EventSource === "undefined") return;
    var status = root.getAttribute("data-status") || "";
    var pos = root.getAttribute("data-position") || "";
    var st = root.getAttribute("data-state") || "";
    var reloading = false;
    var es = new EventSource(url);
    function check(d) {
      if (reloading || !d) return;
      var p = d.currentPosition === null || d.currentPosition === undefined ? "" : String(d.currentPosition);
      var s = d.state || "";
      if (s === "pending") { p = ""; s = ""; }
      var stale = d.status !== status || (d.status !== "ended" && (p !== pos || s !== st));
      if (stale) {
        reloading = true;
        es.close();
        window.location.reload();
      }
    }
    function on(name) {
      es.addEventListener(name, function (e) {
        var d = null;
        try { d = JSON.parse(e.data); } catch (err) { return; }
        check(d);
      });
    }
    on("snapshot");
    on("phase");
    on("ended");
  }

  // -------------------------------------------------------------------------------------------
  // Facilitator: credential and API

  function credential() {
    try { return window.sessionStorage.getItem(CRED) || memoryCred; } catch (e) { return memoryCred; }
  }
  function setCredential(v) {
    memoryCred = v;
    try { if (v) window.sessionStorage.setItem(CRED, v); else window.sessionStorage.removeItem(CRED); } catch (e) { /* storage blocked: kept in memory */ }
  }
  function takeSessionFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var s = params.get("session");
    if (!s) return;
    setCredential(s);
    params.delete("session");
    var q = params.toString();
    try { window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash); } catch (e) { /* ignore */ }
  }
  function api(method, path, body) {
    var headers = { "Authorization": "Bearer " + (credential() || "") };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(base + "api/" + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = new Error((data && data.error) || ("HTTP " + res.status));
          err.status = res.status;
          throw err;
        }
        return data;
      });
    });
  }
  function credentialUi(onReady) {
    var form = document.getElementById("cred-form");
    var input = document.getElementById("cred-token");
    var status = document.getElementById("cred-status");
    var forget = document.getElementById("cred-forget");
    function show() {
      var has = !!credential();
      if (form) form.hidden = has;
      if (status) status.hidden = !has;
    }
    if (form) form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = input && input.value.trim();
      if (!v) return;
      setCredential(v);
      if (input) input.value = "";
      show();
      onReady();
    });
    if (forget) forget.addEventListener("click", function () { setCredential(null); show(); });
    show();
    if (credential()) onReady();
  }
  function showError(id, e) {
    var box = document.getElementById(id);
    if (!box) return;
    if (!e) { box.hidden = true; box.textContent = ""; return; }
    box.hidden = false;
    box.textContent = e.message || String(e);
    if (e.status === 401 || e.status === 403) {
      setCredential(null);
      var form = document.getElementById("cred-form");
      var status = document.getElementById("cred-status");
      if (form) form.hidden = false;
      if (status) status.hidden = true;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The live view (console and projector)

  function stateBadge(state) {
    var tone = state === "open" ? "ok" : state === "revealed" ? "accent" : state === "closed" ? "warn" : null;
    return badge(tr("ws.state." + state), tone);
  }
  function optionRow(o, answered, kind) {
    var count = o.count || 0;
    var share = answered > 0 ? count / answered : 0;
    var bar = el("div", { "class": "bar", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(share * 100), "aria-label": local(o.en, o.ja) }, [el("span", { style: "width:" + (share * 100).toFixed(1) + "%" })]);
    return el("div", { "class": "ws-option" + (o.correct ? " correct" : "") + (count === 0 ? " zero" : ""), "data-option": String(o.id), "data-kind": kind }, [
      el("span", { "class": "ws-label", text: local(o.en, o.ja) }),
      bar,
      el("span", { "class": "ws-count", text: count + " (" + pct(count, answered) + "%)" })
    ]);
  }
  function renderKey(box, key) {
    var sec = el("section", { "class": "ws-key", id: "live-key" }, [el("h3", { text: tr("ws.room.key") })]);
    var dl = el("dl", { "class": "fields" });
    (key.fields || []).forEach(function (f) {
      dl.appendChild(el("dt", { text: fieldLabel(f.field) }));
      dl.appendChild(el("dd", { text: f.values.map(function (v) { return local(v.en, v.ja); }).join(" · ") }));
    });
    sec.appendChild(dl);
    var byN = {};
    (key.citations || []).forEach(function (c) { byN[c.n] = c; });
    var ol = el("ol", { "class": "items" });
    (key.items || []).forEach(function (it) {
      var p = el("p", { "class": "item-feedback", text: local(it.feedback, it.feedback_ja) });
      (it.citations || []).forEach(function (n) {
        var c = byN[n];
        if (!c) return;
        var href = appHref(c.url);
        p.appendChild(el("sup", null, [href ? el("a", { "class": "cite", href: href, title: c.title, text: String(n) }) : String(n)]));
      });
      ol.appendChild(el("li", { "class": "item status-correct" }, [el("div", { "class": "item-head" }, [el("span", { "class": "item-label", text: local(it.label, it.label_ja) })]), p]));
    });
    sec.appendChild(ol);
    if (key.citations && key.citations.length) {
      sec.appendChild(el("h4", { "class": "small", text: tr("case.sources") }));
      var list = el("ol", { "class": "sources" });
      key.citations.forEach(function (c) {
        var href = appHref(c.url);
        list.appendChild(el("li", { value: c.n }, [
          el("div", { "class": "source-head" }, [href ? el("a", { "class": "source-title", href: href, text: c.title }) : el("span", { "class": "source-title", text: c.title }), c.date ? el("span", { "class": "source-date", text: c.date }) : null]),
          el("blockquote", { "class": "source-quote", text: c.quote })
        ]));
      });
      sec.appendChild(list);
    }
    box.appendChild(sec);
  }
  function renderLive(box, model) {
    if (!box || !model) return;
    clear(box);
    var w = model.workshop;
    var cur = model.current;
    var head = el("p", { "class": "small muted" }, [el("span", { id: "live-participants", "data-participants": w.participants, text: tr("ws.live.participants", { n: w.participants }) })]);
    if (w.status === "ended") head.appendChild(el("span", null, [" · ", badge(tr("ws.state.ended"), "warn")]));
    box.appendChild(head);
    if (!cur) { box.appendChild(el("p", { id: "live-nocase", text: tr("ws.live.noCase") })); return; }
    var c = cur.case;
    box.appendChild(el("p", { "class": "case-meta" }, [badge(tr("ws.room.caseOf", { n: cur.position + 1, total: w.cases.length })), " ", badge(typeLabel(c.type)), " ", stateBadge(cur.state)]));
    box.appendChild(el("h2", { "class": "ws-headline", id: "live-title", text: local(c.title, c.title_ja) }));
    box.appendChild(el("p", { "class": "question-text", text: local(c.question, c.question_ja) }));
    var s = cur.stats;
    if (s) {
      box.appendChild(el("p", { "class": "ws-live-status", id: "live-answered", "data-answered": s.answered, text: tr("ws.live.answered", { answered: s.answered, participants: s.participants }) }));
      if (s.avgScore !== null && s.avgScore !== undefined) box.appendChild(el("p", { id: "live-avg", text: tr("ws.live.avg", { score: s.avgScore, max: s.maxScore }) }));
      (s.fields || []).forEach(function (f) {
        if (!f.options || !f.options.length) return;
        var sec = el("div", { "class": "ws-field", "data-field": f.field }, [el("h3", { "class": "small", text: fieldLabel(f.field) })]);
        var opts = f.options.slice();
        if (f.kind === "multi") opts.sort(function (a, b) { return (b.count || 0) - (a.count || 0); });
        opts.forEach(function (o) { sec.appendChild(optionRow(o, s.answered, f.kind)); });
        box.appendChild(sec);
      });
    }
    if (cur.key) renderKey(box, cur.key);
  }
  /** Applies a live event to the model. */
  function apply(model, type, d) {
    if (type === "snapshot") return d;
    if (!model) return model;
    var w = model.workshop;
    if (type === "phase") {
      w.status = d.status;
      w.currentPosition = d.currentPosition;
      (d.cases || []).forEach(function (x) { if (w.cases[x.position]) w.cases[x.position].state = x.state; });
      if (d.currentPosition === null || d.currentPosition === undefined || !d.case) model.current = null;
      else {
        var keep = model.current && model.current.position === d.currentPosition ? model.current.stats : null;
        model.current = { position: d.currentPosition, state: d.state, case: d.case, stats: keep, key: d.key || null };
      }
    } else if (type === "stats") {
      w.participants = d.participants;
      if (w.cases[d.position]) w.cases[d.position].answered = d.answered;
      if (model.current && model.current.position === d.position) { model.current.stats = d; model.current.state = d.state; }
    } else if (type === "participants") {
      w.participants = d.participants;
    } else if (type === "ended") {
      w.status = "ended";
    }
    return model;
  }
  function live(url, onModel) {
    var model = null;
    var es = new EventSource(url);
    var notice = document.getElementById("live-connection");
    ["snapshot", "phase", "stats", "participants", "ended"].forEach(function (type) {
      es.addEventListener(type, function (e) {
        var d;
        try { d = JSON.parse(e.data); } catch (err) { return; }
        model = apply(model, type, d);
        if (model) onModel(model, type);
      });
    });
    es.addEventListener("open", function () { if (notice) notice.hidden = true; });
    es.addEventListener("error", function () { if (notice) notice.hidden = false; });
    return {
      set: function (m) { model = m; onModel(model, "local"); },
      close: function () { es.close(); }
    };
  }

  // -------------------------------------------------------------------------------------------
  // Facilitator pages

  function home() {
    takeSessionFromUrl();
    var list = document.getElementById("ws-list");
    var form = document.getElementById("create-form");
    function loadList() {
      api("GET", "workshops").then(function (items) {
        clear(list);
        if (!items.length) list.appendChild(el("li", { "class": "muted", text: tr("ws.fac.none") }));
        items.forEach(function (w) {
          list.appendChild(el("li", null, [
            el("a", { href: withLang(base + "workshops/" + encodeURIComponent(w.code)), text: w.title }),
            " ", badge(w.code), " ", badge(w.status === "ended" ? tr("ws.state.ended") : tr("ws.live.participants", { n: w.participants }))
          ]));
        });
      }).catch(function (e) { showError("create-error", e); });
    }
    credentialUi(loadList);
    if (form) form.addEventListener("submit", function (e) {
      e.preventDefault();
      showError("create-error", null);
      if (!credential()) { showError("create-error", new Error(tr("ws.fac.needToken"))); return; }
      var cases = [];
      Array.prototype.forEach.call(form.querySelectorAll("input[name=cases]:checked"), function (i) { cases.push(i.value); });
      function gen(type, id) {
        var n = Math.max(0, Math.min(10, Number((document.getElementById(id) || {}).value || 0)));
        for (var i = 0; i < n; i++) {
          var b = new Uint32Array(1);
          window.crypto.getRandomValues(b);
          cases.push("gen-" + type + "-" + (b[0] % 1000000000));
        }
      }
      gen("mill", "gen-mill");
      gen("level", "gen-level");
      var title = (document.getElementById("ws-title") || {}).value || "";
      api("POST", "workshops", { title: title, cases: cases }).then(function (w) {
        window.location.href = withLang(base + "workshops/" + encodeURIComponent(w.code));
      }).catch(function (err) { showError("create-error", err); });
    });
  }

  function consolePage() {
    takeSessionFromUrl();
    var code = root.getAttribute("data-code");
    var liveBox = document.getElementById("ws-live");
    var casesBox = document.getElementById("ws-cases");
    var stream = null;
    var current = null;
    var resultsTimer = null;
    var started = false;
    liveBox.parentNode.insertBefore(el("p", { id: "live-connection", "class": "notice warn", hidden: "hidden", text: tr("ws.live.connection") }), liveBox);

    function renderCases(model) {
      clear(casesBox);
      model.workshop.cases.forEach(function (c) {
        var isCurrent = model.workshop.currentPosition === c.position;
        var open = el("button", { type: "button", "class": "secondary", "data-open": c.position, text: tr("ws.fac.open") });
        open.disabled = model.workshop.status === "ended" || c.state === "revealed" || (isCurrent && c.state === "open");
        open.addEventListener("click", function () { control("open", { position: c.position }); });
        casesBox.appendChild(el("li", { "class": isCurrent ? "current" : null, "data-position": c.position, "data-state": c.state }, [
          el("span", { text: local(c.title, c.title_ja) }), badge(typeLabel(c.type)), stateBadge(c.state),
          el("span", { "class": "muted small", text: tr("ws.col.answered") + ": " + c.answered }), open
        ]));
      });
      var cur = model.current;
      document.getElementById("btn-close").disabled = !cur || cur.state !== "open" || model.workshop.status === "ended";
      document.getElementById("btn-reveal").disabled = !cur || cur.state === "revealed" || cur.state === "pending";
      document.getElementById("btn-end").disabled = model.workshop.status === "ended";
    }
    function onModel(model, type) {
      current = model;
      renderCases(model);
      renderLive(liveBox, model);
      if (type === "stats" || type === "phase") scheduleResults();
    }
    function control(action, body) {
      showError("console-error", null);
      api("POST", "workshops/" + code + "/" + action, body || {}).then(function (view) {
        if (stream) stream.set(view); else onModel(view, "local");
      }).catch(function (e) { showError("console-error", e); });
    }
    function scheduleResults() {
      if (resultsTimer) return;
      resultsTimer = setTimeout(function () { resultsTimer = null; loadResults(); }, 1500);
    }
    function table(head, rows) {
      var t = el("table", { "class": "plain-table ws-table" });
      t.appendChild(el("thead", null, [el("tr", null, head.map(function (h) { return el("th", { scope: "col", text: h }); }))]));
      var body = el("tbody");
      rows.forEach(function (r) { body.appendChild(el("tr", null, r.map(function (v) { return el("td", { text: v === null || v === undefined ? "" : String(v) }); }))); });
      t.appendChild(body);
      return t;
    }
    function loadResults() {
      api("GET", "workshops/" + code + "/results").then(function (r) {
        var cb = document.getElementById("results-cases");
        var pb = document.getElementById("results-participants");
        clear(cb);
        clear(pb);
        cb.appendChild(table(["#", tr("ws.col.case"), tr("ws.col.state"), tr("ws.col.answered"), tr("ws.col.avg"), tr("ws.col.passed"), tr("ws.col.top")], r.cases.map(function (c) {
          return [c.position + 1, local(c.title, c.title_ja), tr("ws.state." + c.state), c.answered, c.avgScore === null ? "" : c.avgScore + " / " + c.maxScore, c.passed, c.summary];
        })));
        var head = [tr("ws.col.participant"), tr("ws.col.channel"), tr("ws.col.answered"), tr("ws.col.total")].concat(r.cases.map(function (c) { return "#" + (c.position + 1); }));
        pb.appendChild(table(head, r.participants.map(function (p) {
          return [p.displayName, p.channel, p.answered, p.score + " / " + p.maxScore].concat(p.perCase.map(function (x) { return x ? x.score + " / " + x.maxScore : "–"; }));
        })));
      }).catch(function (e) { showError("console-error", e); });
    }
    function downloadCsv(which) {
      fetch(base + "api/workshops/" + code + "/results.csv?table=" + which, { headers: { "Authorization": "Bearer " + (credential() || "") } }).then(function (res) {
        if (!res.ok) return res.json().then(function (d) { throw new Error((d && d.error) || ("HTTP " + res.status)); });
        return res.blob();
      }).then(function (blob) {
        var a = el("a", { download: "workshop-" + code + "-" + which + ".csv" });
        a.href = URL.createObjectURL(blob);
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.parentNode.removeChild(a); }, 2000);
      }).catch(function (e) { showError("console-error", e); });
    }
    function start() {
      if (started) return;
      started = true;
      api("GET", "workshops/" + code).then(function (view) {
        onModel(view, "local");
        document.getElementById("ws-title").textContent = view.workshop.title;
        return api("POST", "workshops/" + code + "/view-token", {});
      }).then(function (vt) {
        var link = document.getElementById("projector-link");
        link.setAttribute("href", withLang(base + "workshops/" + code + "/screen?view=" + encodeURIComponent(vt.token)));
        link.hidden = false;
        stream = live(base + "api/workshops/" + code + "/events?view=" + encodeURIComponent(vt.token), onModel);
        loadResults();
      }).catch(function (e) { started = false; showError("console-error", e); });
    }
    document.getElementById("btn-close").addEventListener("click", function () { control("close"); });
    document.getElementById("btn-reveal").addEventListener("click", function () { control("reveal"); });
    document.getElementById("btn-end").addEventListener("click", function () { if (window.confirm(tr("ws.fac.endConfirm"))) control("end"); });
    document.getElementById("btn-results").addEventListener("click", loadResults);
    Array.prototype.forEach.call(document.querySelectorAll("[data-csv]"), function (b) {
      b.addEventListener("click", function () { downloadCsv(b.getAttribute("data-csv")); });
    });
    credentialUi(start);
  }

  function screen() {
    var url = root.getAttribute("data-events");
    var box = document.getElementById("ws-live");
    box.parentNode.insertBefore(el("p", { id: "live-connection", "class": "notice warn", hidden: "hidden", text: tr("ws.live.connection") }), box);
    if (url) live(url, function (model) { renderLive(box, model); });
  }

  if (mode === "room") room();
  else if (mode === "home") home();
  else if (mode === "console") consolePage();
  else if (mode === "screen") screen();
})();
`;

registerAsset("workshop.js", WORKSHOP_JS, "text/javascript; charset=utf-8");
