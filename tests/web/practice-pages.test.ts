import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerForm } from "../../src/services/practice.js";
import { t } from "../../src/web/i18n.js";
import { answerFromForm } from "../../src/web/practice-routes.js";
import { testRuntime } from "../helpers/runtime.js";

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

const CASE = "mill-accreditor-for-sale";
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("practice pages", () => {
  let rt: Runtime;
  let origin: string;
  beforeAll(async () => {
    rt = await testRuntime();
    origin = "http://localhost";
  });
  afterAll(() => rt?.cleanup());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await rt.app.request(path, { headers });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    rt.app.request(path, { method: "POST", headers: { ...FORM, origin, ...headers }, body });

  /** Starts a session through the page's form; returns the cookie header. */
  async function startSession(name = "Aiko Tanaka"): Promise<string> {
    const res = await post("/practice", `displayName=${encodeURIComponent(name)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\.\/practice\?lang=en&session=/);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("/practice shows the training path, its modules with reading and cases, and a start form", async () => {
    const { status, html } = await get("/practice");
    expect(status).toBe(200);
    expect(html).toContain("FCE foundations");
    expect(html).toMatch(/Module 1/);
    expect(html).toContain('id="displayName"');
    expect(html).toContain(`href="./practice/${CASE}?lang=en"`);
    expect(html).toMatch(/href="\.\/practice\/gen-mill-\d+\?lang=en"/);
    // Reading passages link to the source viewer at the passage.
    expect(html).toMatch(/href="\.\/sources\/[^"]+\?chunk=[^"]+&amp;lang=en#[^"]+"/);
    const ja = await get("/practice?lang=ja");
    expect(ja.html).toContain(t("ja", "practice.title"));
    expect(ja.html).toContain("外国学歴評価の基礎");
  });

  it("a case shows its dossier and the answer form of its type, without the answer key", async () => {
    const { status, html } = await get(`/practice/${CASE}`);
    expect(status).toBe(200);
    expect(html).toContain("Velmont Council for Academic Accreditation and Standards");
    expect(html).toContain("Suite 410, 88 Harbourline Road");
    expect(html).toContain("Decision within 10 working days");
    expect(html).toContain('type="radio" name="verdict" value="accreditation_mill"');
    expect(html).toContain('type="checkbox" name="flags" value="no_site_visit"');
    expect(html).toContain('name="justification"');
    expect(html).not.toContain("permanent accreditation\", and it shares"); // the key's justification
    const level = await get("/practice/level-tarsis-four-year-bachelor?lang=ja");
    expect(level.status).toBe(200);
    expect(level.html).toContain('name="level" value="6"');
    expect(level.html).toContain("JEQFレベル6");
    const gen = await get("/practice/gen-mill-42");
    expect(gen.status).toBe(200);
    expect(gen.html).toContain("seed 42");
    const missing = await get("/practice/no-such-case");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("no-such-case");
  });

  it("submitting an answer stores and grades it, then shows cited feedback; progress shows it", async () => {
    const cookie = await startSession();
    const home = await get("/practice", { cookie });
    expect(home.html).toContain("Practising as Aiko Tanaka");
    expect(home.html).toContain('role="meter"');

    const res = await post(`/practice/${CASE}`, "verdict=accreditation_mill&flags=accreditation_for_sale&flags=no_site_visit&justification=" + encodeURIComponent("Accreditation is sold with no site visit."), { cookie });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^\\.\\./practice/${CASE}\\?attempt=att_[0-9a-f]+&lang=en#feedback$`));
    const url = new URL(location, `http://x/practice/${CASE}`);
    const page = await get(url.pathname + url.search, { cookie });
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/Score: [\d.]+ of 12/);
    expect(page.html).toContain("Verdict");
    expect(page.html).toMatch(/<sup><a class="cite" href="\.\.\/sources\/[^"]+\?chunk=[^"]+&amp;lang=en#[^"]+"/);
    expect(page.html).toContain("Diploma mills and accreditation mills: warning signs");
    // The stored answer is filled in again.
    expect(page.html).toMatch(/value="accreditation_mill" checked=""/);

    const progress = await get("/progress", { cookie });
    expect(progress.status).toBe(200);
    expect(progress.html).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect((progress.html.match(/class="chart-row"/g) ?? []).length).toBe(5);
    expect(progress.html).toContain("An accreditor that never visits");
    expect(progress.html).toMatch(/href="\.\/practice\/mill-accreditor-for-sale\?attempt=att_[0-9a-f]+&amp;lang=en#feedback"/);

    // Another learner cannot open this attempt.
    const other = await startSession("Someone Else");
    const foreign = await get(url.pathname + url.search, { cookie: other });
    expect(foreign.html).toContain(t("en", "case.attemptNotFound"));
    expect(foreign.html).not.toMatch(/Score: [\d.]+ of 12/);
  });

  it("a missing answer or a bad number re-shows the form with a message; cross-site posts are refused", async () => {
    const cookie = await startSession();
    const missing = await post(`/practice/${CASE}`, "flags=no_site_visit&justification=x", { cookie });
    expect(missing.status).toBe(400);
    const html = await missing.text();
    expect(html).toContain(t("en", "case.missing", { field: t("en", "field.verdict") }));
    expect(html).toMatch(/value="no_site_visit" checked=""/);
    const bad = await post("/practice/credits-ects-course-to-jp", "value=abc", { cookie });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(t("en", "case.notNumber", { field: t("en", "field.value") }));
    const csrf = await post(`/practice/${CASE}`, "verdict=legitimate", { cookie, origin: "https://evil.example" });
    expect(csrf.status).toBe(403);
    const noOrigin = await rt.app.request("/practice", { method: "POST", headers: FORM, body: "displayName=x" });
    expect(noOrigin.status).toBe(403);
  });

  it("without cookies the session rides in the links (?session=), and a first answer can start it", async () => {
    const res = await post(`/practice/${CASE}`, "displayName=Cookieless&verdict=diploma_mill");
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/[?&]session=[\w-]+\.[\w-]+\.[\w-]+/);
    const url = new URL(location, `http://x/practice/${CASE}`);
    const page = await get(url.pathname + url.search);
    expect(page.html).toMatch(/Score: [\d.]+ of 12/);
    expect(page.html).toContain("Cookieless");
    const token = url.searchParams.get("session")!;
    expect(page.html).toContain(`href="../progress?lang=en&amp;session=${token}"`);
    const progress = await get(`/progress?session=${token}`);
    expect(progress.html).toContain("Cookieless");
    // When the cookie works, the token is dropped from the URL.
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const clean = await get(`/progress?lang=en&session=${token}`, { cookie });
    expect(clean.status).toBe(303);
    expect(clean.headers.get("location")).toBe("./progress?lang=en");
  });

  it("/progress without a session asks to start one", async () => {
    const { status, html } = await get("/progress");
    expect(status).toBe(200);
    expect(html).toContain(t("en", "progress.needSession"));
  });

  it("answerFromForm turns form values into the API's answer", () => {
    expect(answerFromForm(answerForm("level"), { level: "6", admission: "master", justification: " " }, "en")).toEqual({ answer: { level: 6, admission: "master" } });
    expect(answerFromForm(answerForm("credits"), { value: "2,5", unit: "" }, "en")).toEqual({ answer: { value: 2.5 } });
    expect(answerFromForm(answerForm("mill"), { verdict: "legitimate", flags: ["a", "b"] }, "en")).toEqual({ answer: { verdict: "legitimate", flags: ["a", "b"] } });
    expect(answerFromForm(answerForm("mill"), {}, "ja")).toEqual({ error: t("ja", "case.missing", { field: t("ja", "field.verdict") }) });
  });
});
