/** The stylesheet of every page, served at `/assets/app.css`. System fonts, no external resources. */
export const APP_CSS = String.raw`
:root {
  --bg: #f7f7f5;
  --surface: #ffffff;
  --text: #1d1f21;
  --muted: #5b6166;
  --line: #d9dcdf;
  --accent: #1f5fa8;
  --accent-soft: #e6eef8;
  --mark: #fff1a8;
  --mark-strong: #ffd84d;
  --ok: #1e7a46;
  --ok-soft: #e5f4ea;
  --warn: #8a5a00;
  --warn-soft: #fff4dc;
  --bad: #a12b2b;
  --bad-soft: #fbe9e9;
  --radius: 8px;
  --focus: 0 0 0 3px #f2b400;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", Meiryo, sans-serif;
  font-size: 1rem;
  line-height: 1.6;
}
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: none; box-shadow: var(--focus); border-radius: 3px; }
.skip-link { position: absolute; left: -999px; top: 0; background: var(--surface); padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: .5rem; top: .5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.site-header { background: var(--surface); border-bottom: 1px solid var(--line); }
.header-inner { max-width: 60rem; margin: 0 auto; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; }
.brand { display: flex; align-items: center; gap: .5rem; text-decoration: none; color: var(--text); font-weight: 700; }
.brand-mark { background: var(--accent); color: #fff; border-radius: 6px; padding: .1rem .4rem; font-size: .8rem; letter-spacing: .05em; }
.site-nav ul { list-style: none; display: flex; gap: .25rem; margin: 0; padding: 0; }
.site-nav a { display: block; padding: .35rem .7rem; border-radius: 999px; text-decoration: none; color: var(--text); }
.site-nav a:hover { background: var(--accent-soft); }
.site-nav a[aria-current="page"] { background: var(--accent); color: #fff; }
.lang-switch { margin-left: auto; display: flex; gap: .6rem; font-size: .9rem; }
.lang-switch [aria-current] { font-weight: 700; }

main { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .5rem 0 .75rem; }
h2 { font-size: 1.25rem; line-height: 1.35; }
.lead { color: var(--muted); margin-top: 0; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin: 1rem 0; }
.notice { border-left: 4px solid var(--accent); background: var(--accent-soft); padding: .6rem .9rem; border-radius: 4px; margin: .75rem 0; }
.notice.warn { border-color: var(--warn); background: var(--warn-soft); }
.notice.error, .error-box { border-left: 4px solid var(--bad); background: var(--bad-soft); padding: .6rem .9rem; border-radius: 4px; margin: .75rem 0; }

button, .button {
  font: inherit; cursor: pointer; border-radius: var(--radius); border: 1px solid var(--accent);
  background: var(--accent); color: #fff; padding: .5rem 1.1rem; text-decoration: none; display: inline-block;
}
button.secondary, .button.secondary { background: var(--surface); color: var(--accent); }
button:disabled { opacity: .6; cursor: progress; }
label { font-weight: 600; display: block; margin-bottom: .3rem; }
textarea, input[type="text"], input[type="number"], select {
  font: inherit; width: 100%; padding: .55rem .7rem; border: 1px solid #9aa1a7; border-radius: var(--radius); background: #fff; color: var(--text);
}
textarea { min-height: 4.5rem; resize: vertical; }
.form-row { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin-top: .5rem; }
.hint { font-size: .85rem; color: var(--muted); margin: .25rem 0 0; }

/* Chat */
.examples { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0 0; padding: 0; list-style: none; }
.examples button { background: var(--surface); color: var(--accent); border-color: var(--line); font-size: .875rem; padding: .3rem .7rem; border-radius: 999px; }
.transcript { margin: 1rem 0; }
.turn { margin: 1.25rem 0; }
.turn-question { background: var(--accent-soft); border-radius: var(--radius); padding: .6rem .9rem; margin-left: 10%; white-space: pre-wrap; overflow-wrap: anywhere; }
.turn-question .label, .answer .label { display: block; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); font-weight: 600; }
.answer { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: .9rem 1.1rem; margin-top: .6rem; }
.answer.abstained { border-left: 4px solid var(--warn); }
.answer-text p { margin: .4rem 0; overflow-wrap: anywhere; }
.answer-text sup { line-height: 0; }
.answer-text sup a, a.cite { text-decoration: none; font-weight: 700; font-size: .8em; padding: .05em .35em; border-radius: 3px; background: var(--accent-soft); }
.mode { font-size: .8rem; color: var(--muted); margin: .25rem 0 .5rem; }
.sources, .related { margin: .75rem 0 0; padding-left: 1.4rem; }
.sources > li, .related > li { margin: .6rem 0; }
.source-head { display: flex; flex-wrap: wrap; gap: .25rem .6rem; align-items: baseline; }
.source-title { font-weight: 600; }
.source-date { font-size: .85rem; color: var(--muted); white-space: nowrap; }
.source-date.old { color: var(--warn); }
.source-quote { margin: .3rem 0 0; padding: .3rem .7rem; border-left: 3px solid var(--line); color: #33373b; font-size: .925rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.feedback { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin-top: .9rem; padding-top: .6rem; border-top: 1px solid var(--line); font-size: .9rem; }
.feedback button { background: var(--surface); color: var(--text); border-color: var(--line); padding: .25rem .7rem; }
.feedback button[aria-pressed="true"] { border-color: var(--accent); background: var(--accent-soft); }
.feedback form { flex-basis: 100%; }
.thanks { color: var(--ok); font-weight: 600; }
.ask-form { padding: .75rem 0; border-top: 1px solid var(--line); }
.status { min-height: 1.5rem; color: var(--muted); }

/* Source viewer */
.doc-meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; font-size: .925rem; }
.doc-meta dt { color: var(--muted); }
.doc-meta dd { margin: 0; overflow-wrap: anywhere; }
.doc-meta ul { margin: 0; padding-left: 1.1rem; }
.doc { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.5rem; margin-top: 1rem; overflow-wrap: anywhere; }
.doc h2, .doc h3, .doc h4, .doc h5, .doc h6 { margin: 1.4rem 0 .5rem; }
.doc h4, .doc h5, .doc h6 { font-size: 1rem; }
.doc blockquote { margin: .75rem 0; padding: .2rem .9rem; border-left: 3px solid var(--line); color: #33373b; }
.doc pre { white-space: pre-wrap; background: #f1f2f3; padding: .75rem; border-radius: 6px; font-size: .9rem; }
.doc li.depth-1 { margin-left: 1.25rem; }
.doc li.depth-2 { margin-left: 2.5rem; }
.doc li.depth-3, .doc li.depth-4 { margin-left: 3.75rem; }
.table-wrap { overflow-x: auto; margin: .75rem 0; }
.doc table { border-collapse: collapse; font-size: .9rem; }
.doc td, .doc th { border: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top; text-align: left; }
.doc th { background: #f1f2f3; }
.doc p.in-passage, .doc li.in-passage, .doc blockquote.in-passage, .doc pre.in-passage, .doc .in-passage:is(h2, h3, h4, h5, h6) { box-shadow: -6px 0 0 0 var(--mark-strong); }
.doc tr.in-passage { box-shadow: none; background: #fffbe0; }
mark.passage { background: var(--mark); color: inherit; padding: .05em 0; scroll-margin-top: 5rem; }
mark.passage .quote { background: var(--mark-strong); font-weight: inherit; }
.doc-actions { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }

/* Practice and progress */
.bar { position: relative; height: .6rem; background: #e7e9eb; border-radius: 999px; overflow: visible; margin: .35rem 0; }
.bar > span { display: block; height: 100%; background: var(--accent); border-radius: 999px; }
.bar > .bar-threshold { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--text); opacity: .55; }
.badge { display: inline-block; font-size: .75rem; line-height: 1.5; padding: .05rem .55rem; border-radius: 999px; background: #eceef0; color: #41474c; white-space: nowrap; }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
.badge.accent { background: var(--accent-soft); color: var(--accent); }
.signed-in { color: var(--muted); }
.mastery-list { list-style: none; padding: 0; margin: .5rem 0; display: grid; gap: .5rem 1.5rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.mastery-head { display: flex; justify-content: space-between; gap: .5rem; font-size: .925rem; }
.modules { list-style: none; padding: 0; }
.module-head { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }
.module-head h3 { margin: 0; font-size: 1.05rem; }
.module.status-complete { border-left: 4px solid var(--ok); }
.module.status-current { border-left: 4px solid var(--accent); }
.module h4 { margin: .75rem 0 .25rem; }
.reading summary { cursor: pointer; color: var(--accent); font-weight: 600; margin-top: .5rem; }
.case-list { padding-left: 1.1rem; margin: .25rem 0; }
.case-list li { margin: .3rem 0; }
.difficulty { color: var(--muted); letter-spacing: .1em; font-size: .8rem; }
.case-meta { display: flex; flex-wrap: wrap; gap: .35rem; }
.question-text { font-size: 1.1rem; font-weight: 600; margin: .25rem 0; }
.dossier { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); align-items: start; margin: .75rem 0 1.25rem; }
.sheet { background: #fffdf8; border: 1px solid #d8d3c4; border-radius: 4px; box-shadow: 0 1px 0 #e8e3d3, 0 2px 6px rgba(0,0,0,.06); }
.sheet-head { display: flex; justify-content: space-between; gap: .5rem; padding: .45rem .9rem; border-bottom: 1px solid #e4dfd0; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: #6b6450; font-weight: 700; }
.sheet-body { padding: .7rem .9rem; }
.sheet-transcript, .sheet-dates, .sheet-mail { grid-column: 1 / -1; }
.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .9rem; margin: 0; font-size: .95rem; }
.fields dt { color: #6b6450; }
.fields dd { margin: 0; overflow-wrap: anywhere; }
.institution-name { font-family: Georgia, "Times New Roman", "Hiragino Mincho ProN", "Yu Mincho", serif; font-size: 1.2rem; font-weight: 700; margin: 0 0 .2rem; }
.institution-local { margin: 0 0 .5rem; color: var(--muted); }
.plain-table { border-collapse: collapse; width: 100%; }
.plain-table th, .plain-table td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.plain-table thead th { font-size: .8rem; color: var(--muted); }
.plain-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.transcript { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .875rem; }
.browser { grid-column: 1 / -1; border: 1px solid #c9ced3; border-radius: 8px; overflow: hidden; background: #fff; }
.browser-bar { display: flex; gap: .75rem; align-items: center; background: #eef0f2; padding: .35rem .7rem; font-size: .8rem; }
.browser-bar .dots { color: #b3b9bf; letter-spacing: .15em; }
.browser-bar .address { background: #fff; border-radius: 999px; padding: .1rem .7rem; color: #41474c; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.browser-body { padding: .5rem 1rem; }
.scan-notes { padding-left: 1.1rem; margin: 0; }
.mail { margin: .4rem 0; padding: .5rem .8rem; background: #f6f7f8; border-left: 3px solid #9aa1a7; white-space: pre-wrap; }
.sticky-note { grid-column: 1 / -1; background: #fff7c2; border: 1px solid #eadf95; padding: .6rem .9rem; border-radius: 3px; transform: rotate(-.3deg); }
.answer-form .field { margin: 1rem 0; border: 0; padding: 0; }
.answer-form legend { font-weight: 600; margin-bottom: .3rem; padding: 0; }
.option-list, .option-grid { display: grid; gap: .3rem .9rem; }
.option-grid { grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
label.option { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; margin: 0; padding: .3rem .5rem; border-radius: 6px; cursor: pointer; }
label.option:hover { background: var(--accent-soft); }
label.option input { margin-top: .3rem; flex: none; }
.feedback-panel { border-left: 4px solid var(--accent); }
.feedback-panel:focus, .feedback-panel:focus-visible { outline: none; box-shadow: none; }
.all-cases summary { cursor: pointer; }
.all-cases summary h2 { display: inline; }
.score-line { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; font-size: 1.1rem; }
.items { padding-left: 1.2rem; }
.items > li { margin: .75rem 0; }
.item-head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.item-label { font-weight: 600; }
.item-points { font-variant-numeric: tabular-nums; color: var(--muted); }
.item-feedback { margin: .25rem 0; }
.item-feedback sup { line-height: 0; margin-left: .1rem; }
.chart { display: block; max-width: 44rem; height: auto; margin: .5rem 0 1rem; }
.chart-label { font-size: 13px; fill: var(--text); }
.chart-value { font-size: 13px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart-track { fill: #e7e9eb; }
.chart-bar { fill: var(--accent); }
.chart-bar.reached { fill: var(--ok); }
.chart-threshold { stroke: var(--text); stroke-width: 2; stroke-dasharray: 3 2; opacity: .6; }
.module-steps li { margin: .3rem 0; }
.site-footer { max-width: 60rem; margin: 0 auto; padding: 1rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }

@media (max-width: 40rem) {
  h1 { font-size: 1.35rem; }
  .turn-question { margin-left: 0; }
  .doc { padding: .75rem .9rem; }
  .doc-meta { grid-template-columns: 1fr; }
  .doc-meta dt { margin-top: .3rem; }
  .lang-switch { margin-left: 0; }
}
@media print { .site-header, .site-footer, .ask-form, .feedback { display: none; } }
`;
