/**
 * The workshop benchmark's load, run as a separate process (so it does not share the server's event
 * loop): `tsx bench/workshop-client.ts --url http://127.0.0.1:PORT --code CODE --admin TOKEN
 * --participants 300 --spread 20 --case ID`.
 *
 * It opens the facilitator's live stream (SSE), then N simulated participants each join by code,
 * fetch the open case and, after a think time, submit one answer; participants start spread over the
 * first 40% of `--spread` seconds and think up to 50% of it, so every answer is sent within it. Each
 * participant makes exactly three requests; the whole run is bounded by `--spread` + 60 s. Prints one
 * JSON line of figures, including the delay from the last submission's response to the facilitator
 * stream's first event that counts every stored answer.
 */
import { parseArgs } from "node:util";
import { percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    code: { type: "string" },
    admin: { type: "string" },
    participants: { type: "string", default: "300" },
    spread: { type: "string", default: "20" },
  },
});
if (!values.url || !values.code || !values.admin) throw new Error("usage: workshop-client --url URL --code CODE --admin TOKEN [--participants N] [--spread S]");
const base = values.url.replace(/\/+$/, "");
const code = values.code;
const participants = Number(values.participants);
const spreadMs = Number(values.spread) * 1000;
const deadline = Date.now() + spreadMs + 60_000;
if (!(participants >= 1 && participants <= 5000)) throw new Error("--participants must be 1..5000");
if (!(spreadMs >= 1000 && spreadMs <= 60_000)) throw new Error("--spread must be 1..60 seconds");

const now = () => performance.now();

// ---- the facilitator's stream --------------------------------------------------------------------
let viewAnswered = 0;
const viewSeen: Array<{ at: number; answered: number }> = [];
let viewWaiters: Array<() => void> = [];
const streamAbort = new AbortController();

async function facilitatorStream(): Promise<void> {
  const res = await fetch(`${base}/api/workshops/${code}/events`, { headers: { authorization: `Bearer ${values.admin}`, accept: "text/event-stream" }, signal: streamAbort.signal });
  if (!res.ok || !res.body) throw new Error(`facilitator stream: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      const d = JSON.parse(data) as { answered?: number; current?: { stats?: { answered: number } } };
      const answered = event === "stats" ? d.answered : event === "snapshot" ? d.current?.stats?.answered : undefined;
      if (typeof answered === "number") {
        viewAnswered = answered;
        viewSeen.push({ at: now(), answered });
        for (const w of viewWaiters.splice(0)) w();
      }
    }
  }
}

// ---- participants --------------------------------------------------------------------------------
const submitLatencies: number[] = [];
const joinLatencies: number[] = [];
const fetchLatencies: number[] = [];
let errors = 0;
let sent = 0;
let accepted = 0;
let lastSubmitDone = 0;
const errorSamples: string[] = [];

function fail(what: string, detail: string): void {
  errors++;
  if (errorSamples.length < 5) errorSamples.push(`${what}: ${detail}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ANSWERS = [
  { verdict: "accreditation_mill", flags: ["accreditation_for_sale", "no_site_visit", "permanent_accreditation", "claims_chea_or_usde_recognition"], justification: "Accreditation is sold with no site visit and claims CHEA recognition." },
  { verdict: "diploma_mill", flags: ["no_site_visit", "po_box_only"] },
  { verdict: "verify_further", flags: ["accreditation_for_sale"], justification: "Check the accreditor with the ministry first." },
  { verdict: "legitimate" },
];

async function participant(i: number, startAt: number, thinkMs: number): Promise<void> {
  await sleep(startAt);
  if (Date.now() > deadline) return fail("participant", "deadline passed");
  let t = now();
  let token: string;
  try {
    const res = await fetch(`${base}/api/workshops/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, displayName: `Participant ${i + 1}` }) });
    const body = (await res.json()) as { token?: string; error?: string };
    joinLatencies.push(now() - t);
    if (!res.ok || !body.token) return fail("join", `${res.status} ${body.error ?? ""}`);
    token = body.token;
  } catch (e) {
    return fail("join", (e as Error).message);
  }
  let caseId: string;
  let position: number;
  t = now();
  try {
    const res = await fetch(`${base}/api/workshops/${code}/me`, { headers: { "x-fce-session": token } });
    const body = (await res.json()) as { current?: { position: number; state: string; case: { id: string; form: unknown[] } }; error?: string };
    fetchLatencies.push(now() - t);
    if (!res.ok || !body.current || body.current.state !== "open") return fail("fetch", `${res.status} ${body.error ?? "no open case"}`);
    caseId = body.current.case.id;
    position = body.current.position;
  } catch (e) {
    return fail("fetch", (e as Error).message);
  }
  await sleep(thinkMs);
  t = now();
  sent++;
  try {
    const res = await fetch(`${base}/api/workshops/${code}/answers`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-fce-session": token },
      body: JSON.stringify({ position, caseId, answer: ANSWERS[i % ANSWERS.length] }),
    });
    const text = await res.text();
    const done = now();
    submitLatencies.push(done - t);
    if (res.status !== 201) return fail("submit", `${res.status} ${text.slice(0, 120)}`);
    accepted++;
    lastSubmitDone = Math.max(lastSubmitDone, done);
  } catch (e) {
    submitLatencies.push(now() - t);
    return fail("submit", (e as Error).message);
  }
}

const streamDone = facilitatorStream().catch((e: unknown) => {
  if ((e as Error).name !== "AbortError") fail("stream", (e as Error).message);
});
// Wait for the stream's snapshot before the room fills.
for (let i = 0; i < 100 && viewSeen.length === 0; i++) await sleep(50);

const started = now();
await Promise.all(
  Array.from({ length: participants }, (_, i) => {
    const start = Math.random() * spreadMs * 0.4;
    const think = Math.random() * spreadMs * 0.5;
    return participant(i, start, think);
  }),
);
const seconds = (now() - started) / 1000;

// The view is current when the stream has counted every accepted answer.
const viewUntil = Date.now() + 10_000;
while (viewAnswered < accepted && Date.now() < viewUntil) {
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, Math.max(1, viewUntil - Date.now()));
    viewWaiters.push(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
const shown = viewSeen.find((v) => v.answered >= accepted);
const viewDelay = shown ? Math.max(0, shown.at - lastSubmitDone) : -1;
streamAbort.abort();
await streamDone;

const r1 = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    participants,
    sent,
    accepted,
    errors,
    p50_ms: r1(percentile(submitLatencies, 50)),
    p95_ms: r1(percentile(submitLatencies, 95)),
    p99_ms: r1(percentile(submitLatencies, 99)),
    max_ms: r1(Math.max(...submitLatencies)),
    join_p95_ms: r1(percentile(joinLatencies, 95)),
    fetch_p95_ms: r1(percentile(fetchLatencies, 95)),
    view_delay_ms: Math.round(viewDelay),
    view_answered: viewAnswered,
    seconds: r1(seconds),
    error_samples: errorSamples,
  }),
);
