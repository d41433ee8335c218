/**
 * Abstention: the honest message shown when the sources do not answer, and threshold calibration.
 */

/**
 * Default support threshold below which the answerers abstain. Chosen with `calibrateThreshold` on the
 * development questions (see the report in `src/core/answer/README.md`): it sits between the supports of the
 * answerable and the unanswerable questions, closer to the unanswerable side so that real answers are
 * rarely withheld.
 */
export const DEFAULT_SUPPORT_THRESHOLD = 0.44;

const MESSAGES = {
  en:
    "The indexed sources do not answer this question. " +
    "For a decision on a particular applicant, the admitting university decides as the competent recognition authority; " +
    "for information on Japanese qualifications, ask NIC-Japan; " +
    "for a qualification from another country, ask that country's ENIC-NARIC or national information centre.",
  ja:
    "登録されている資料には、この質問への答えが見当たりません。" +
    "個々の出願者についての判断は、承認の権限を持つ受け入れ大学が行います。" +
    "日本の学位・資格に関する情報はNIC-Japanに、外国の資格については当該国のENIC-NARICなどの国内情報センターにお問い合わせください。",
} as const;

/** The abstention message: says the sources do not answer and who can. */
export function abstentionMessage(language: "en" | "ja" = "en"): string {
  return MESSAGES[language];
}

export interface CalibrationExample {
  support: number;
  answerable: boolean;
}

export interface CalibrationPoint {
  threshold: number;
  /** Share of unanswerable questions that abstain at this threshold (higher is better). */
  abstainRateUnanswerable: number;
  /** Share of answerable questions that abstain at this threshold (lower is better). */
  falseAbstainRate: number;
}

export interface CalibrationResult {
  threshold: number;
  curve: CalibrationPoint[];
}

export interface CalibrationOptions {
  /** Only thresholds whose false-abstain rate is at most this are chosen from (default 1: no limit). */
  maxFalseAbstainRate?: number;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/**
 * Builds the trade-off curve (abstain rate on unanswerable vs. false-abstain rate on answerable questions)
 * over candidate thresholds placed midway between consecutive observed supports, and picks the threshold
 * with the best difference between the two rates (ties: fewer false abstentions, then the midpoint of the
 * widest gap). A question abstains when `support < threshold`.
 */
export function calibrateThreshold(examples: CalibrationExample[], options: CalibrationOptions = {}): CalibrationResult {
  const maxFalse = options.maxFalseAbstainRate ?? 1;
  const values = [...new Set(examples.map((e) => e.support))].sort((a, b) => a - b);
  const candidates: Array<{ t: number; gap: number }> = [{ t: 0, gap: 0 }];
  for (let i = 0; i + 1 < values.length; i++) {
    candidates.push({ t: (values[i]! + values[i + 1]!) / 2, gap: values[i + 1]! - values[i]! });
  }
  if (values.length) candidates.push({ t: Math.min(1, values[values.length - 1]! + 1e-6), gap: 0 });
  const answerable = examples.filter((e) => e.answerable);
  const unanswerable = examples.filter((e) => !e.answerable);
  const rate = (xs: CalibrationExample[], t: number) => (xs.length ? xs.filter((e) => e.support < t).length / xs.length : 0);
  const curve: CalibrationPoint[] = candidates.map(({ t }) => ({
    threshold: round(t),
    abstainRateUnanswerable: rate(unanswerable, t),
    falseAbstainRate: rate(answerable, t),
  }));
  let bestIndex = 0;
  let bestKey: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  candidates.forEach((c, i) => {
    const p = curve[i]!;
    if (p.falseAbstainRate > maxFalse) return;
    const key: [number, number, number] = [p.abstainRateUnanswerable - p.falseAbstainRate, -p.falseAbstainRate, c.gap];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && (key[1] > bestKey[1] || (key[1] === bestKey[1] && key[2] > bestKey[2])))) {
      bestKey = key;
      bestIndex = i;
    }
  });
  return { threshold: curve[bestIndex]?.threshold ?? 0, curve };
}
