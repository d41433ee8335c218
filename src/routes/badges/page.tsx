/**
 * The credential verifier page (`/badges/verify`): paste a VC-JWT or a JSON credential, see every
 * check with a tick or a cross and its reason, in English or Japanese (`?lang=ja`). Hono JSX escapes
 * all text, so the pasted credential and the reasons are shown as text, never as markup.
 */
import type { Lang } from "../../web/i18n.js";
import { Layout, type PageContext } from "../../web/layout.js";
import { withLang } from "../../web/urls.js";
import { CHECK_LABELS, MAX_CREDENTIAL_BYTES, type VerifyResult } from "../../core/badges/verify.js";

const TEXT = {
  en: {
    title: "Verify a micro-credential",
    intro:
      "Paste an Open Badges 3.0 credential: the VC-JWT (header.payload.signature) or the JSON. Each check is shown with its reason. A valid signature proves origin and integrity; it does not prove academic value.",
    label: "Credential (VC-JWT or JSON)",
    submit: "Verify",
    valid: "Valid: every check passed.",
    invalid: "Not valid: at least one check failed.",
    checks: "Checks",
    passed: "passed",
    failed: "failed",
    achievement: "Achievement",
    issuer: "Issuer",
    subject: "Subject",
    limit: `At most ${MAX_CREDENTIAL_BYTES / 1024} KB.`,
    jwks: "Issuer's published keys (JWKS)",
  },
  ja: {
    title: "マイクロクレデンシャルの検証",
    intro:
      "Open Badges 3.0の資格情報（VC-JWT：header.payload.signature、またはJSON）を貼り付けてください。各確認項目の結果と理由を表示します。署名が有効であることは発行元と完全性を示しますが、学術的な価値を示すものではありません。",
    label: "資格情報（VC-JWTまたはJSON）",
    submit: "検証する",
    valid: "有効：すべての確認項目を満たしています。",
    invalid: "無効：満たしていない確認項目があります。",
    checks: "確認項目",
    passed: "合格",
    failed: "不合格",
    achievement: "達成内容",
    issuer: "発行者",
    subject: "対象者",
    limit: `最大${MAX_CREDENTIAL_BYTES / 1024} KBまで。`,
    jwks: "発行者の公開鍵（JWKS）",
  },
} as const;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v : undefined;
}

function summary(result: VerifyResult): { achievement?: string; issuer?: string; subject?: string } {
  const cred = result.credential ?? {};
  const subject = cred.credentialSubject as Record<string, unknown> | undefined;
  const achievement = subject && typeof subject === "object" ? (subject.achievement as Record<string, unknown> | undefined) : undefined;
  const issuer = cred.issuer as Record<string, unknown> | string | undefined;
  return {
    achievement: achievement && typeof achievement === "object" ? str(achievement.name) : undefined,
    issuer: typeof issuer === "string" ? issuer : issuer && typeof issuer === "object" ? (str(issuer.name) ?? str(issuer.id)) : undefined,
    subject: subject && typeof subject === "object" ? str(subject.id) : undefined,
  };
}

export interface VerifyPageProps {
  page: PageContext;
  input?: string;
  result?: VerifyResult;
  error?: string;
}

export function VerifyPage(props: VerifyPageProps) {
  const lang: Lang = props.page.lang;
  const t = TEXT[lang];
  const { result } = props;
  const s = result ? summary(result) : {};
  return (
    <Layout page={props.page} title={t.title}>
      <section class="badge-verify" aria-labelledby="verify-title">
        <h1 id="verify-title">{t.title}</h1>
        <p>{t.intro}</p>
        <form method="post" action={withLang("./verify", lang)}>
          <label for="credential">{t.label}</label>
          <textarea id="credential" name="credential" rows={8} spellcheck={false} autocomplete="off" required>
            {props.input ?? ""}
          </textarea>
          <p class="muted small">{t.limit}</p>
          <button type="submit">{t.submit}</button>
        </form>
        {props.error ? (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        ) : null}
        {result ? (
          <div class="verify-result" role="status" aria-live="polite">
            <p class={result.valid ? "notice" : "notice error"}>
              <strong>
                {result.valid ? "✓ " : "✗ "}
                {result.valid ? t.valid : t.invalid}
              </strong>
            </p>
            {s.achievement || s.issuer || s.subject ? (
              <dl class="doc-meta">
                {s.achievement ? (
                  <>
                    <dt>{t.achievement}</dt>
                    <dd>{s.achievement}</dd>
                  </>
                ) : null}
                {s.issuer ? (
                  <>
                    <dt>{t.issuer}</dt>
                    <dd>{s.issuer}</dd>
                  </>
                ) : null}
                {s.subject ? (
                  <>
                    <dt>{t.subject}</dt>
                    <dd>{s.subject}</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
            <h2>{t.checks}</h2>
            <ul class="checks">
              {result.checks.map((c) => (
                <li class={c.ok ? "check ok" : "check failed"} data-check={c.check}>
                  <span aria-hidden="true">{c.ok ? "✓" : "✗"}</span> <strong>{CHECK_LABELS[c.check][lang]}</strong>
                  <span class="visually-hidden"> ({c.ok ? t.passed : t.failed})</span>: {lang === "ja" ? c.reason_ja : c.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <p class="muted small">
          <a href="./jwks">{t.jwks}</a>
        </p>
      </section>
    </Layout>
  );
}
