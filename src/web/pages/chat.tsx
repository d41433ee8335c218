/** The chat page at `/`: server-rendered shell; `/assets/chat.js` asks, renders answers and sends feedback. */
import { pick, translator, type MessageKey } from "../i18n.js";
import { Layout, rootOf, type PageContext } from "../layout.js";

/** The interface text the browser script needs. */
export const CHAT_CLIENT_KEYS: readonly MessageKey[] = [
  "chat.question",
  "chat.followup",
  "chat.asking",
  "chat.you",
  "chat.answer",
  "chat.sources",
  "chat.related",
  "chat.abstained",
  "chat.mode.extractive",
  "chat.mode.llm",
  "chat.citation",
  "chat.openSource",
  "chat.undated",
  "chat.ageYears",
  "chat.ageYear",
  "chat.ageMonths",
  "chat.ageRecent",
  "chat.feedback",
  "chat.helpful",
  "chat.unhelpful",
  "chat.comment",
  "chat.sendFeedback",
  "chat.thanks",
  "chat.errorNetwork",
  "chat.errorGeneric",
  "chat.emptyQuestion",
  "chat.tooLong",
];

export function ChatPage(props: { page: PageContext; maxChars: number; prefill?: string }) {
  const { page } = props;
  const t = translator(page.lang);
  const examples = [t("chat.example1"), t("chat.example2"), t("chat.example3")];
  return (
    <Layout page={page} title={t("chat.title")} nav="ask" scripts={["chat.js"]}>
      <section
        id="chat"
        aria-labelledby="chat-title"
        data-i18n={JSON.stringify(pick(page.lang, CHAT_CLIENT_KEYS))}
        data-lang={page.lang}
        data-root={rootOf(page)}
        data-max={String(props.maxChars)}
      >
        <h1 id="chat-title">{t("chat.title")}</h1>
        <p class="lead">{t("chat.intro")}</p>
        <noscript>
          <p class="notice warn">{t("chat.noscript")}</p>
        </noscript>
        <div id="examples">
          <h2 class="small muted">{t("chat.examples")}</h2>
          <ul class="examples">
            {examples.map((q) => (
              <li>
                <button type="button" data-question={q}>
                  {q}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div id="transcript" class="transcript" aria-live="polite" aria-relevant="additions" aria-label={t("chat.conversation")}></div>
        <form id="ask-form" class="ask-form" action="./" method="get">
          <input type="hidden" name="lang" value={page.lang} />
          <label for="question" id="question-label">
            {t("chat.question")}
          </label>
          <textarea id="question" name="q" rows={3} maxlength={props.maxChars} placeholder={t("chat.placeholder")} aria-describedby="ask-status">
            {props.prefill ?? ""}
          </textarea>
          <div class="form-row">
            <button type="submit" id="ask-button">
              {t("chat.ask")}
            </button>
            <button type="button" id="new-conversation" class="secondary" hidden>
              {t("chat.newConversation")}
            </button>
          </div>
          <p id="ask-status" class="status" role="status" aria-live="polite"></p>
        </form>
      </section>
    </Layout>
  );
}
