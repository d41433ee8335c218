/** Server-rendered pages of the LTI channel (Hono JSX): deep-linking picker, instructor view, errors. */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { OutboxEntry } from "./ags.js";
import type { RosterMember } from "./nrps.js";
import type { ModuleSummary, RosterProgress } from "./ports.js";

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;margin:0;padding:1.25rem;color:#1f2933;background:#fff;line-height:1.5}
h1{font-size:1.35rem;margin:0 0 .75rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{background:#f5f7fa}.muted{color:#616e7c}.error{color:#b42318}.ok{color:#027a48}.warn{color:#b54708}
.modules{list-style:none;padding:0}.modules li{border:1px solid #e4e7eb;border-radius:6px;padding:.75rem;margin:.5rem 0}
button{font:inherit;padding:.4rem .9rem;border-radius:5px;border:1px solid #1f6feb;background:#1f6feb;color:#fff;cursor:pointer}
.bar{display:inline-block;width:6rem;height:.5rem;background:#e4e7eb;border-radius:3px;vertical-align:middle;margin-right:.4rem}
.bar span{display:block;height:100%;background:#1f6feb;border-radius:3px}
.notice{border:1px solid #fda29b;background:#fef3f2;padding:.75rem;border-radius:6px}
`;

function Page(props: { title: string; scripts?: string[]; children?: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {/* The session token is in this page's URL: never send it to other sites. */}
          <meta name="referrer" content="no-referrer" />
          <title>{props.title} · FCE Coach</title>
          <style>{raw(STYLE)}</style>
          {(props.scripts ?? []).map((src) => (
            <script src={src} defer />
          ))}
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <Page title="LTI launch refused">
      <h1>FCE Coach could not open this activity</h1>
      <p class="notice" role="alert">
        {props.message}
      </p>
      <p class="muted">HTTP {props.status}. Go back to your course and open the activity again; if this keeps happening, give this message to your LMS administrator.</p>
    </Page>
  );
}

export function PickerPage(props: { modules: ModuleSummary[]; session: string; courseTitle?: string }) {
  return (
    <Page title="Add a training module">
      <h1>Add an FCE Coach module{props.courseTitle ? ` to ${props.courseTitle}` : ""}</h1>
      {props.modules.length === 0 ? (
        <p class="notice">No training modules are available yet. Ask the FCE Coach administrator to load the training paths.</p>
      ) : (
        <>
          <p class="muted">Pick a module or case set. The course gets a graded activity; each learner's score is sent to the gradebook when they complete it.</p>
          <ul class="modules">
            {props.modules.map((m) => (
              <li>
                <form method="post" action="deep-link">
                  <input type="hidden" name="session" value={props.session} />
                  <input type="hidden" name="module" value={m.id} />
                  <strong>{m.title}</strong> <span class="muted">({m.id})</span>
                  {m.description ? <div class="muted">{m.description}</div> : null}
                  <div>
                    <button type="submit">Add to course</button>
                  </div>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

export interface RosterRow {
  member: RosterMember;
  learnerId?: string;
  progress?: RosterProgress;
  latest?: OutboxEntry;
}

function statusText(e: OutboxEntry): Child {
  if (e.status === "delivered") return <span class="ok">sent to the gradebook</span>;
  if (e.status === "failed") return <span class="error">refused: {e.lastError ?? "unknown reason"}</span>;
  return (
    <span class="warn">
      waiting to be sent{e.attempts > 0 ? ` (attempt ${e.attempts} failed: ${e.lastError ?? "unknown"}; next try ${e.nextAttemptAt.toISOString()})` : ""}
    </span>
  );
}

export function InstructorPage(props: {
  moduleId?: string;
  moduleTitle?: string;
  contextId: string;
  results: OutboxEntry[];
  failures: OutboxEntry[];
  roster: RosterRow[] | undefined;
  rosterError?: string;
}) {
  const title = props.moduleTitle ?? props.moduleId;
  return (
    <Page title="Instructor view">
      <h1>{title ? `Results: ${title}` : "FCE Coach results for this course"}</h1>
      <p class="muted">Course {props.contextId || "(no context)"}</p>

      <h2>Gradebook delivery problems</h2>
      {props.failures.length === 0 ? (
        <p class="muted" id="no-failures">
          None: every score was accepted by the LMS or is still being sent.
        </p>
      ) : (
        <table id="failures">
          <thead>
            <tr>
              <th>Learner</th>
              <th>Module</th>
              <th>Score</th>
              <th>Reason given by the LMS</th>
            </tr>
          </thead>
          <tbody>
            {props.failures.map((f) => (
              <tr>
                <td>{f.learnerName}</td>
                <td>{f.moduleId}</td>
                <td>
                  {f.scoreGiven} / {f.scoreMaximum}
                </td>
                <td class="error">
                  {f.lastStatus ? `HTTP ${f.lastStatus}: ` : ""}
                  {f.lastError}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Results</h2>
      {props.results.length === 0 ? (
        <p class="muted">No scores yet.</p>
      ) : (
        <table id="results">
          <thead>
            <tr>
              <th>Learner</th>
              <th>Module</th>
              <th>Score</th>
              <th>Gradebook</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {props.results.map((r) => (
              <tr>
                <td>{r.learnerName}</td>
                <td>{r.moduleId}</td>
                <td>
                  {r.scoreGiven} / {r.scoreMaximum}
                </td>
                <td>{statusText(r)}</td>
                <td>{r.createdAt.toISOString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Course roster</h2>
      {props.rosterError ? <p class="error">The roster could not be read from the LMS: {props.rosterError}</p> : null}
      {props.roster === undefined && !props.rosterError ? <p class="muted">The LMS did not offer its roster service (Names and Role Provisioning) for this launch.</p> : null}
      {props.roster ? (
        <table id="roster">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Progress</th>
              <th>Latest score</th>
            </tr>
          </thead>
          <tbody>
            {props.roster.map((row) => (
              <tr>
                <td>
                  {row.member.name ?? <span class="muted">(name not shared) {row.member.userId}</span>}
                  {row.member.status !== "Active" ? <span class="muted"> ({row.member.status})</span> : null}
                </td>
                <td>{row.member.roles.map((r) => r.replace(/^.*[#/]/, "")).join(", ")}</td>
                <td>
                  {row.progress ? (
                    <>
                      {row.progress.fraction !== undefined ? (
                        <span class="bar">
                          <span style={`width:${Math.round(Math.min(1, Math.max(0, row.progress.fraction)) * 100)}%`} />
                        </span>
                      ) : null}
                      {row.progress.summary}
                    </>
                  ) : (
                    <span class="muted">{row.learnerId ? "no progress yet" : "not started"}</span>
                  )}
                </td>
                <td>{row.latest ? `${row.latest.scoreGiven} / ${row.latest.scoreMaximum}` : <span class="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

/**
 * Sends the signed deep-linking response to the platform: a form posted by an external script (the
 * app's Content-Security-Policy allows no inline script), with a button when scripts do not run.
 */
export function ReturnToPlatformPage(props: { action: string; jwt: string; title: string }) {
  return (
    <Page title="Returning to your course" scripts={["autosubmit.js"]}>
      <h1>Adding “{props.title}” to your course…</h1>
      <form method="post" action={props.action} data-autosubmit="">
        <input type="hidden" name="JWT" value={props.jwt} />
        <button type="submit">Return to the course</button>
      </form>
    </Page>
  );
}

export function RegistrationDonePage(props: { clientId?: string; deploymentId?: string }) {
  return (
    <Page title="Registration complete" scripts={["../registration-done.js"]}>
      <h1>FCE Coach is registered</h1>
      <p>The LMS can now launch FCE Coach. Close this window and activate the tool in the LMS if it asks you to.</p>
      {props.clientId ? (
        <p class="muted">
          Client ID <code>{props.clientId}</code>
          {props.deploymentId ? (
            <>
              , deployment ID <code>{props.deploymentId}</code>
            </>
          ) : null}
        </p>
      ) : null}
      <button type="button" id="close">
        Close
      </button>
    </Page>
  );
}

export const AUTOSUBMIT_JS = `document.querySelectorAll("form[data-autosubmit]").forEach(function (f) { f.submit(); });\n`;

export const REGISTRATION_DONE_JS = `(function () {
  function close() { (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*"); }
  var button = document.getElementById("close");
  if (button) button.addEventListener("click", close);
})();
`;
