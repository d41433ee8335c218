/**
 * Endless generated practice cases (`mill` and `level`) from a seeded PRNG (mulberry32).
 *
 * `generateCase(type, seed)` is a pure function of its arguments: the same seed gives the same
 * case (deep-equal). Names of people, institutions and countries are built from syllables, so
 * they are invented. The answer key and the rubric are derived from what was generated, and the
 * sources quote the corpus cards (`red-flags`, `false-alarms`, `jeqf-levels`,
 * `recognition-principles`), so a generated case passes the same checks as a bank case.
 */
import { mulberry32 } from "../util/hash.js";
import type { MillFlag } from "./flags.js";
import { scenarioSchema, type Scenario, type ScenarioSource } from "./schema.js";

export type GeneratedType = "mill" | "level";
export const GENERATED_TYPES: readonly GeneratedType[] = ["mill", "level"];

export { mulberry32 };

class Rng {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j] as T, a[i] as T];
    }
    return a;
  }
}

const ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "st", "th", "sh", "vel", "mor", "cal"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia"];
const CODAS = ["", "", "", "n", "r", "l", "s", "th", "m", "nd", "rk"];

function syllable(r: Rng): string {
  return r.pick(ONSETS) + r.pick(VOWELS) + r.pick(CODAS);
}
function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function word(r: Rng, min = 2, max = 3): string {
  let w = "";
  const n = r.int(min, max);
  for (let i = 0; i < n; i++) w += syllable(r);
  return cap(w.slice(0, 12));
}
function countryName(r: Rng): { name: string; tld: string } {
  const stem = word(r, 2, 2).replace(/[aeiou]+$/, "");
  const name = stem + r.pick(["ia", "ania", "ova", "esia", "and", "ora"]);
  return { name: r.chance(0.4) ? `Republic of ${name}` : name, tld: name.slice(0, 2).toLowerCase() };
}
function personName(r: Rng): string {
  return `${word(r, 1, 2)} ${word(r, 2, 3)}`;
}
function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

// ---------------------------------------------------------------------------------------------
// Quotes from the corpus cards (exact sentences of their bodies)

const RF = "red-flags";
const FA = "false-alarms";
const FLAG_QUOTES: Partial<Record<MillFlag, string>> = {
  unrecognised_accreditor: "The claimed accreditor is not recognised by any government or by any recognised body.",
  accreditor_name_imitates: "The accreditor's name imitates the name of a real accrediting body.",
  unesco_accreditation_claim: "The provider claims approval by UNESCO or by another organisation that does not accredit institutions.",
  vague_approval_words: 'The provider presents words such as "licensed", "notarised" or "internationally approved" as if they proved academic quality.',
  life_experience_degree: 'A degree is granted for "life experience" or for a CV alone.',
  no_coursework: "The provider awards a degree in return for payment, with little or no coursework.",
  no_admission_requirements: "No admission requirements are set.",
  weeks_to_complete: "The degree can be completed within weeks or months.",
  backdating_offered: "The buyer can choose any date of award, so the diploma can be back-dated.",
  price_per_degree: "The provider charges a price per degree.",
  multi_degree_discount: "The provider offers a discount for buying several degrees.",
  po_box_only: "The only address given is a PO box or a suite number.",
  frequent_address_changes: "The address changes often.",
  email_only_contact: "The provider can be contacted only by e-mail or through a web form.",
  no_faculty_list: "No list of faculty is published.",
  name_mimics_known_university: "The provider's name is very close to the name of a well-known university.",
  domain_country_mismatch: "The web domain does not fit the country where the provider claims to be.",
  claims_not_a_mill: 'The website insists that the provider is "not a diploma mill".',
  sample_diplomas: "Sample diplomas are offered for viewing or purchase.",
  in_house_verification: 'The "registrar" or verification service that confirms the degrees is run by the same people as the provider.',
  accreditation_for_sale: "Accreditation can be bought.",
  no_site_visit: "Accreditation is granted quickly and without a site visit.",
  permanent_accreditation: 'Accreditation is sometimes granted "permanently", with no later review.',
  few_published_standards: "Few or no quality standards are published.",
  lists_without_consent: "Institutions are listed as accredited without their knowledge.",
  claims_chea_or_usde_recognition: "The accreditor falsely claims to be recognised by CHEA or by the U.S. Department of Education.",
  shares_address_with_schools: "The accreditor may share an address with the schools that it accredits.",
};
const Q_NO_SINGLE_SIGN = "No single warning sign proves that a provider is a mill.";
const Q_ASK_NIC = "Ask the competent authority or the national information centre (NIC or ENIC) of the country concerned when the status stays unclear.";
const Q_MILL_DEF = "A diploma mill hands out credentials without the academic work that those credentials claim to certify.";
const Q_ACCR_MILL_DEF = 'An accreditation mill sells a false stamp of quality ("accreditation") to fraudulent providers such as diploma mills.';
const Q_NOT_AUTOMATIC = "An institution that is absent from a ministry's list of universities is not automatically a diploma mill.";
const Q_HARM = "Calling a legitimate institution a diploma mill harms an applicant who did nothing wrong.";

/** Sources a generated case may cite, all from the cards. Exported for tests. */
export const GENERATOR_QUOTES: ReadonlyArray<{ doc: string; quote: string }> = [
  ...Object.values(FLAG_QUOTES).map((quote) => ({ doc: RF, quote: quote as string })),
  { doc: RF, quote: Q_NO_SINGLE_SIGN },
  { doc: RF, quote: Q_ASK_NIC },
  { doc: RF, quote: Q_MILL_DEF },
  { doc: RF, quote: Q_ACCR_MILL_DEF },
  { doc: FA, quote: Q_NOT_AUTOMATIC },
  { doc: FA, quote: Q_HARM },
];

// ---------------------------------------------------------------------------------------------
// Mill cases

interface MillDraft {
  institution: string;
  country: string;
  dossier: Record<string, unknown> & { website_notes: string[] };
}

/** Dossier evidence for each flag, and the key-justification phrase (which names the concept). */
const FLAG_EVIDENCE: Partial<Record<MillFlag, { apply: (d: MillDraft, r: Rng) => void; phrase: string; concept?: string }>> = {
  unrecognised_accreditor: {
    apply: (d, r) => {
      d.dossier.claimed_accreditor ??= `${word(r)} Council for Distance Learning Accreditation`;
      d.dossier.website_notes.push(`The claimed accreditor is not on the list of quality agencies published by the ministry of education of ${d.country}, and no government recognises it.`);
    },
    phrase: "its accreditor is not recognised by any government",
    concept: "unrecognised_accreditor",
  },
  accreditor_name_imitates: {
    apply: (d) => {
      d.dossier.claimed_accreditor = `${d.country} Higher Education Accreditation Commission International`;
      d.dossier.website_notes.push(`The official quality agency of ${d.country} is called "${d.country} Higher Education Accreditation Commission"; the claimed accreditor adds one word to that name.`);
    },
    phrase: "the accreditor's name imitates the official agency",
    concept: "name_mimicry",
  },
  unesco_accreditation_claim: {
    apply: (d) => d.dossier.website_notes.push('The home page shows a seal reading "Accredited by UNESCO".'),
    phrase: "it claims UNESCO accreditation, although UNESCO does not accredit institutions",
    concept: "unesco_claim",
  },
  vague_approval_words: {
    apply: (d) => d.dossier.website_notes.push('Diplomas are sold as "notarised, licensed and internationally approved".'),
    phrase: 'it offers "notarised" and "internationally approved" as proof of quality',
  },
  life_experience_degree: {
    apply: (d) => {
      d.dossier.admission_requirements = "Upload your CV; your life and work experience are converted into a degree.";
    },
    phrase: "the degree is awarded for life experience and a CV",
    concept: "life_experience",
  },
  no_coursework: {
    apply: (d) => {
      d.dossier.mode_of_study = "No courses, no examinations; a short review of the documents you send";
    },
    phrase: "there is no coursework and no assessment",
    concept: "no_study",
  },
  no_admission_requirements: {
    apply: (d) => {
      d.dossier.admission_requirements ??= "None: \"everyone is welcome, no previous study needed\".";
    },
    phrase: "there are no admission requirements",
  },
  weeks_to_complete: {
    apply: (d, r) => {
      d.dossier.programme_length = `Degree delivered within ${r.int(2, 6)} weeks of payment`;
    },
    phrase: "the degree is completed within weeks",
    concept: "speed",
  },
  backdating_offered: {
    apply: (d) => d.dossier.website_notes.push('The order form has a field "date of graduation (any year you wish)".'),
    phrase: "the graduation date can be chosen, so diplomas are back-dated",
    concept: "backdating",
  },
  price_per_degree: {
    apply: (d, r) => {
      const b = r.int(3, 9) * 100 - 10;
      d.dossier.fees = `Bachelor US$ ${b}, Master US$ ${b + 200}, Doctorate US$ ${b + 400}${d.dossier.fees ? `; ${String(d.dossier.fees)}` : ""}`;
    },
    phrase: "each degree has a price",
    concept: "price",
  },
  multi_degree_discount: {
    apply: (d, r) => {
      const off = `Order two degrees and save ${r.pick([20, 25, 30, 40])}%`;
      d.dossier.fees = d.dossier.fees ? `${String(d.dossier.fees)}; ${off}` : off;
    },
    phrase: "there is a discount for buying several degrees",
    concept: "price",
  },
  po_box_only: {
    apply: (d, r) => {
      d.dossier.address = `PO Box ${r.int(100, 9999)}, ${word(r)} City, ${d.country}`;
    },
    phrase: "the only address is a PO box",
    concept: "address",
  },
  frequent_address_changes: {
    apply: (d, r) => d.dossier.website_notes.push(`Archived copies of the website give ${r.int(3, 5)} different addresses in ${r.int(3, 4)} countries over the last six years.`),
    phrase: "the address keeps changing",
    concept: "address",
  },
  email_only_contact: {
    apply: (d) => {
      d.dossier.contact = "Web form and e-mail only; no telephone number, no campus";
    },
    phrase: "contact is by e-mail only",
  },
  no_faculty_list: {
    apply: (d) => d.dossier.website_notes.push("No teaching staff are named anywhere on the site."),
    phrase: "no faculty are listed",
  },
  name_mimics_known_university: {
    apply: (d, r) => {
      const famous = `${word(r)} University`;
      d.institution = `${famous.replace(/ University$/, "e")} University Online`;
      d.dossier.institution = d.institution;
      d.dossier.website_notes.push(`${famous} is the best-known public university of ${d.country}; the provider's name differs by one letter.`);
    },
    phrase: "its name mimics a well-known university",
    concept: "name_mimicry",
  },
  domain_country_mismatch: {
    apply: (d, r) => {
      d.dossier.website = `www.${slug(d.institution).slice(0, 14)}.${r.pick(["kv", "qx", "zt"])}`;
      d.dossier.website_notes.push(`The institution says it is based in ${d.country}, but its web domain belongs to another country.`);
    },
    phrase: "the web domain does not fit the claimed country",
    concept: "domain_mismatch",
  },
  claims_not_a_mill: {
    apply: (d) => d.dossier.website_notes.push('An FAQ page is headed "Why we are NOT a diploma mill".'),
    phrase: 'the site insists it is "not a diploma mill"',
  },
  sample_diplomas: {
    apply: (d) => d.dossier.website_notes.push("A gallery shows sample diplomas and transcripts that buyers can order."),
    phrase: "sample diplomas are on offer",
  },
  in_house_verification: {
    apply: (d, r) => d.dossier.website_notes.push(`Employers are told to verify degrees with the "${word(r)} Degree Registry", registered to the same owner as the university.`),
    phrase: "verification is done by a registry run by the same people",
  },
};

const ACCREDITOR_EVIDENCE: Partial<Record<MillFlag, { apply: (d: MillDraft, r: Rng) => void; phrase: string; concept?: string }>> = {
  accreditation_for_sale: {
    apply: (d, r) => {
      d.dossier.fees = `Accreditation package US$ ${r.int(15, 60) * 100}, paid online`;
    },
    phrase: "accreditation is for sale for a fee",
    concept: "accreditation_for_sale",
  },
  no_site_visit: {
    apply: (d, r) => d.dossier.website_notes.push(`"Accreditation decision within ${r.int(5, 14)} days, no site visit required."`),
    phrase: "it accredits within days without a site visit",
    concept: "no_site_visit",
  },
  permanent_accreditation: {
    apply: (d) => d.dossier.website_notes.push('Member schools receive "permanent accreditation" with no later review.'),
    phrase: "accreditation is permanent",
    concept: "accreditation_for_sale",
  },
  few_published_standards: {
    apply: (d) => d.dossier.website_notes.push("The site publishes no standards or criteria, only a list of member schools."),
    phrase: "it publishes no standards",
  },
  lists_without_consent: {
    apply: (d, r) => d.dossier.correspondence = [`The registrar of ${word(r)} Polytechnic, listed as "accredited member", writes that it never applied to this body.`],
    phrase: "it lists schools without their knowledge",
  },
  claims_chea_or_usde_recognition: {
    apply: (d) => d.dossier.website_notes.push('The site states "recognised by CHEA and the U.S. Department of Education"; neither lists it.'),
    phrase: "it claims CHEA and US Department of Education recognition it does not have",
  },
  shares_address_with_schools: {
    apply: (d, r) => {
      d.dossier.address = `Suite ${r.int(100, 999)}, ${r.int(1, 200)} ${word(r)} Road, ${d.country}`;
      d.dossier.website_notes.push("Three of its accredited schools give exactly the same suite address.");
    },
    phrase: "it shares an address with the schools it accredits",
    concept: "address",
  },
  unrecognised_accreditor: {
    apply: (d) => d.dossier.website_notes.push(`The body is not on the list of quality agencies of the ministry of education of ${d.country}, nor recognised by any government.`),
    phrase: "it is not recognised by any government",
    concept: "unrecognised_accreditor",
  },
};

/** Flags that are defensible (no penalty) when a related flag is present. */
const NEUTRAL_WITH: Partial<Record<MillFlag, MillFlag[]>> = {
  life_experience_degree: ["no_coursework", "no_admission_requirements"],
  no_coursework: ["life_experience_degree"],
  weeks_to_complete: ["no_coursework"],
  accreditor_name_imitates: ["unrecognised_accreditor"],
  claims_chea_or_usde_recognition: ["unrecognised_accreditor"],
  po_box_only: ["email_only_contact"],
};

type LegitKind = "outdated_list" | "state_approved" | "branch_campus" | "renamed" | "prior_learning" | "missing_only";

const LEGIT: Record<LegitKind, { quote: string; concept: string; decoys: MillFlag[] }> = {
  outdated_list: { quote: "The up-to-date list may exist only in the original language, with an older or partial English version.", concept: "outdated_list", decoys: [] },
  missing_only: { quote: "The list may be out of date.", concept: "verify_with_authority", decoys: [] },
  state_approved: { quote: "In the United States, an institution may be approved by a state authority without being regionally accredited.", concept: "state_approval", decoys: ["unrecognised_accreditor"] },
  branch_campus: {
    quote: "A foreign branch campus may appear on the list of its parent institution's country, not on the list of the country where it teaches.",
    concept: "branch_campus",
    decoys: ["domain_country_mismatch"],
  },
  renamed: { quote: "An institution may have been renamed or merged, so its former name no longer appears on current lists.", concept: "renamed_merged", decoys: [] },
  prior_learning: {
    quote: "Recognition of prior learning can legitimately shorten a programme, because it assesses earlier learning against learning outcomes.",
    concept: "prior_learning",
    decoys: ["life_experience_degree"],
  },
};

function millCase(seed: number, r: Rng): Scenario {
  const { name: country, tld } = countryName(r);
  const person = personName(r);
  const base = word(r);
  const institution = r.pick([`${base} International University`, `University of ${base}`, `${base} Institute of Management`, `${base} Open College`]);
  const year = r.int(2009, 2024);
  const roll = r.float();
  const kind: "diploma_mill" | "accreditation_mill" | "legitimate" = roll < 0.5 ? "diploma_mill" : roll < 0.65 ? "accreditation_mill" : "legitimate";
  const d: MillDraft = {
    institution,
    country,
    dossier: { applicant: { name: person, applying_for: r.pick(["Master's programme in Economics", "Master's programme in Engineering", "Doctoral programme (first stage) in Education", "Master's programme in Public Policy"]) }, institution, country, website_notes: [] },
  };
  const sources: ScenarioSource[] = [];
  const src = (doc: string, quote: string): number => {
    const i = sources.findIndex((s) => s.quote === quote);
    if (i >= 0) return i;
    sources.push({ doc, quote });
    return sources.length - 1;
  };

  let flags: MillFlag[] = [];
  let verdict: "legitimate" | "diploma_mill" | "accreditation_mill" | "verify_further";
  let justification: string;
  let concepts: string[];
  let legitKind: LegitKind | undefined;
  let neutral: MillFlag[] = [];

  if (kind === "diploma_mill" || kind === "accreditation_mill") {
    const table = kind === "diploma_mill" ? FLAG_EVIDENCE : ACCREDITOR_EVIDENCE;
    const pool = Object.keys(table) as MillFlag[];
    const n = kind === "diploma_mill" ? r.int(3, 6) : r.int(3, 5);
    flags = r.shuffle(pool).slice(0, n);
    // Apply in a fixed order so that later evidence can build on earlier fields.
    flags.sort((a, b) => pool.indexOf(a) - pool.indexOf(b));
    if (kind === "accreditation_mill") {
      d.institution = `${word(r)} Board of Higher Learning Accreditation`;
      d.dossier.institution = d.institution;
      d.dossier.institution_type = "accrediting body";
      d.dossier.notes = `The applicant's ${r.pick(["bachelor's", "master's"])} degree is from ${institution}, which names this body as its accreditor. The exercise asks about the accrediting body.`;
    }
    for (const f of flags) table[f]?.apply(d, r);
    verdict = kind;
    const phrases = flags.map((f) => table[f]?.phrase ?? f);
    justification =
      `${kind === "diploma_mill" ? "A diploma mill" : "An accreditation mill"}: ${phrases.join("; ")}. ` +
      "No single sign decides, but together they are enough; I would still confirm the status with the competent authority or the NIC/ENIC of the country.";
    concepts = [...new Set(flags.map((f) => table[f]?.concept).filter((c): c is string => c !== undefined))];
    neutral = [...new Set(flags.flatMap((f) => NEUTRAL_WITH[f] ?? []))].filter((f) => !flags.includes(f));
  } else {
    legitKind = r.pick(["outdated_list", "state_approved", "branch_campus", "renamed", "prior_learning", "missing_only"] as const);
    const city = `${word(r)} City`;
    d.dossier.address = `${r.int(1, 300)} ${word(r)} Avenue, ${city}, ${country}`;
    d.dossier.website = `www.${slug(base).slice(0, 12)}.edu.${tld}`;
    d.dossier.programme = `Bachelor of ${r.pick(["Arts in Economics", "Science in Civil Engineering", "Business Administration", "Arts in Sociology"])}`;
    d.dossier.programme_length = "4 years full-time, 240 credits";
    d.dossier.dates = [
      { event: "enrolled", date: `${year - 4}-09` },
      { event: "graduated", date: `${year}-06` },
    ];
    switch (legitKind) {
      case "outdated_list":
        d.dossier.website_notes.push(`Not on the English version of the ${country} ministry's list of universities (last updated ${year - 7}).`);
        d.dossier.website_notes.push(`The ministry's list in the national language, updated ${Math.min(year + 1, 2025)}, includes it with its founding decree.`);
        verdict = "legitimate";
        justification = `Legitimate: the English list is outdated and only a partial translation, while the up-to-date list in the original language includes the university. There are no warning signs, and the competent authority's own list settles it.`;
        break;
      case "missing_only":
        d.dossier.website_notes.push(`Not on the English version of the ${country} ministry's list of universities (last updated ${year - 6}).`);
        d.dossier.website_notes.push("The site names 140 teaching staff, gives a street address and a telephone number, and publishes admission requirements and a four-year curriculum.");
        d.dossier.notes = "No other list has been checked yet.";
        verdict = "verify_further";
        justification =
          "Verify further: absence from one list is not evidence of a mill, because the list may be out of date or the wrong list. I would check the list in the original language and ask the competent authority or the NIC/ENIC before deciding.";
        break;
      case "state_approved":
        d.dossier.country = "United States";
        d.dossier.claimed_accreditor = `Approved to grant degrees by the ${word(r)} State Commission for Higher Education`;
        d.dossier.address = `${r.int(100, 999)} ${word(r)} Street, ${city}, United States`;
        d.dossier.website = `www.${slug(base).slice(0, 12)}.edu`;
        d.dossier.website_notes.push("Not regionally accredited; the university appears on the state commission's public list of approved institutions.");
        verdict = "legitimate";
        justification =
          "Legitimate: in the US a state authority can approve an institution without regional accreditation. The approving body is the state commission, and the university is on the state's own list.";
        break;
      case "branch_campus": {
        const parent = `${word(r)} University`;
        d.institution = `${parent}, ${country} Campus`;
        d.dossier.institution = d.institution;
        d.dossier.website = `www.${slug(parent).slice(0, 12)}.ac.zt`;
        d.dossier.website_notes.push(`Not on ${country}'s list of universities; the website uses the domain of the parent university's country.`);
        d.dossier.website_notes.push(`The parent university's ministry lists the ${country} campus as an approved branch campus.`);
        verdict = "legitimate";
        justification =
          "Legitimate: this is a branch campus, listed by the parent university's country rather than by the country where it teaches, which also explains the web domain.";
        break;
      }
      case "renamed": {
        const old = `${word(r)} Teachers College`;
        d.dossier.institution_local = `former name: ${old}`;
        d.dossier.dates = [
          { event: "enrolled", date: "2008-09" },
          { event: "graduated", date: "2012-06" },
          { event: "merger", date: "2016-04" },
        ];
        d.dossier.website_notes.push(`The diploma names ${old}, which is on no current list; the ministry's gazette records that it was merged into ${institution} in 2016.`);
        verdict = "legitimate";
        justification = `Legitimate: the college was merged and renamed, so its former name is missing from current lists; the ministry gazette confirms the merger.`;
        break;
      }
      case "prior_learning":
        d.dossier.programme_length = "4-year programme completed in 18 months";
        d.dossier.credits = "240 credits, of which 150 granted through recognition of prior learning";
        d.dossier.document_notes = [
          "The transcript lists the prior-learning credits module by module, each assessed by portfolio and an examination against the module's learning outcomes.",
          "The university is on the ministry's list of recognised universities.",
        ];
        verdict = "legitimate";
        justification =
          "Legitimate: the shortening comes from recognition of prior learning, assessed against learning outcomes module by module, which is not a life-experience degree; the university is recognised.";
        break;
    }
    concepts = [LEGIT[legitKind].concept];
    neutral = [];
  }

  if (!d.dossier.website_notes.length) delete (d.dossier as Record<string, unknown>).website_notes;

  const rubric: Array<Record<string, unknown>> = [];
  if (kind === "legitimate" && legitKind) {
    const legit = LEGIT[legitKind];
    const sq = src(FA, legit.quote);
    const sNot = src(FA, Q_NOT_AUTOMATIC);
    const sHarm = src(FA, Q_HARM);
    const sNic = src(RF, Q_ASK_NIC);
    rubric.push({
      id: "verdict",
      label: "Verdict",
      points: 4,
      check: "verdict",
      expected: verdict,
      partial: verdict === "legitimate" ? { verify_further: 2 } : { legitimate: 1 },
      sources: [sq, sNot],
      feedback: {
        correct: verdict === "legitimate" ? "Right: the odd detail has a legitimate explanation." : "Right: one missing list entry calls for checks, not a verdict.",
        incorrect: verdict === "legitimate" ? "This is a legitimate institution; the odd detail is explained by the evidence in the dossier." : "Do not decide yet: absence from one list is a reason to check other lists and the competent authority.",
        partial: verdict === "legitimate" ? "Checking further is cautious, but the dossier already holds the evidence that settles the case." : "The dossier does not yet prove legitimacy; check the other lists first.",
      },
    });
    rubric.push({
      id: "no-false-flags",
      label: "No unsupported warning signs",
      points: 2,
      check: "false_flags",
      penalty: 1,
      sources: [sHarm],
      feedback: { correct: "You raised no warning sign that the dossier does not support.", incorrect: "Some flags are not supported by this dossier; over-flagging harms a legitimate applicant." },
    });
    rubric.push({
      id: "reasoning",
      label: "Names the legitimate explanation",
      points: 2,
      check: "concepts",
      concepts,
      sources: [sq, sNic],
      feedback: { correct: "Your justification names the explanation.", incorrect: "Name the explanation for the odd detail (and how you confirmed it)." },
    });
  } else {
    const sDef = src(RF, kind === "accreditation_mill" ? Q_ACCR_MILL_DEF : Q_MILL_DEF);
    const sSingle = src(RF, Q_NO_SINGLE_SIGN);
    const flagSources = flags.map((f) => src(RF, FLAG_QUOTES[f] as string));
    rubric.push({
      id: "verdict",
      label: "Verdict",
      points: 4,
      check: "verdict",
      expected: verdict,
      partial: kind === "accreditation_mill" ? { verify_further: 1, diploma_mill: 1 } : { verify_further: 1 },
      sources: [sDef, sSingle],
      feedback: {
        correct: kind === "accreditation_mill" ? "Right: this body sells a false stamp of quality." : "Right: the combination of signs shows a diploma mill.",
        incorrect: "Several independent warning signs point the same way; weigh them together.",
        partial: "Checking further is never wrong, but the signs here are strong enough for a verdict.",
      },
    });
    rubric.push({
      id: "flags",
      label: "Warning signs identified",
      points: flags.length,
      check: "flags",
      flags,
      sources: flagSources,
      feedback: { correct: "You found every warning sign in the dossier.", incorrect: "Some warning signs in the dossier were missed.", partial: "You found some of the warning signs." },
    });
    rubric.push({
      id: "no-false-flags",
      label: "No unsupported warning signs",
      points: 1,
      check: "false_flags",
      penalty: 1,
      ...(neutral.length ? { neutral } : {}),
      sources: [sSingle],
      feedback: { correct: "Every flag you raised is supported by the dossier.", incorrect: "Some flags are not supported by the dossier." },
    });
    if (concepts.length) {
      rubric.push({
        id: "reasoning",
        label: "Justification names the decisive signs",
        points: 2,
        check: "concepts",
        concepts,
        min: Math.min(2, concepts.length),
        sources: [flagSources[0] as number, src(RF, Q_ASK_NIC)],
        feedback: { correct: "Your justification names the decisive signs.", incorrect: "Name the signs that decide the case in your justification.", partial: "Name more of the decisive signs." },
      });
    }
  }

  const s = {
    id: `gen-mill-${seed >>> 0}`,
    type: "mill",
    title: kind === "accreditation_mill" ? `Generated: the accreditor of ${institution}` : `Generated: ${d.institution}`,
    skill: "mills",
    difficulty: kind === "legitimate" ? 3 : flags.length >= 5 ? 1 : 2,
    tags: ["generated", kind === "legitimate" ? "false_alarm" : kind, ...(legitKind ? [legitKind] : [])],
    dossier: d.dossier,
    question:
      kind === "accreditation_mill"
        ? "Is this accrediting body legitimate? Give a verdict, the warning signs you see (flags) and a short justification."
        : "Is this institution legitimate, a diploma mill or an accreditation mill, or do you need to verify further? Give the warning signs you see (flags) and a short justification.",
    answer: { verdict, flags, justification },
    rubric,
    sources,
  };
  return scenarioSchema.parse(s);
}

// ---------------------------------------------------------------------------------------------
// Level cases

const JL = "jeqf-levels";
const RP = "recognition-principles";
const Q_ENTRY_12 = "A person who has completed 12 years of school education is eligible to enter a Japanese university.";
const Q_ENTRY_16 = "A person who has completed 16 years of school education is eligible for a master's programme or the first stage of a doctoral programme.";
const Q_ENTRY_DOC2 = "A holder of a master's degree or an equivalent degree is eligible for the second stage of a doctoral programme.";
const Q_COMPARABLE = "Qualifications placed on the same level are comparable, not identical.";

interface LevelVariant {
  id: string;
  award: (r: Rng) => string;
  length: string;
  entry: string;
  credits?: string;
  level: number;
  admission: "none" | "bachelor" | "master" | "doctoral";
  adjacent?: number;
  levelQuote: string;
  entryQuote: string;
  phrase: string;
}

const LEVEL_VARIANTS: LevelVariant[] = [
  {
    id: "secondary",
    award: () => "Upper Secondary School Leaving Certificate",
    length: "3 years of upper secondary school (years 10-12)",
    entry: "Completion of 9 years of basic education",
    level: 3,
    admission: "bachelor",
    levelQuote: "Graduation from upper secondary school (高等学校, koto gakko) is at JEQF level 3.",
    entryQuote: Q_ENTRY_12,
    phrase: "It completes 12 years of school education (upper secondary), which gives access to a Japanese bachelor's programme.",
  },
  {
    id: "associate",
    award: (r) => `Associate Degree in ${r.pick(["Business", "Applied Science", "Nursing Studies", "Information Technology"])}`,
    length: "2 years full-time at a community college",
    entry: "Upper secondary school leaving certificate (12 years of schooling)",
    credits: "60 semester credits",
    level: 5,
    admission: "bachelor",
    levelQuote: "An associate degree (短期大学士, tanki-daigakushi) is at JEQF level 5.",
    entryQuote: Q_ENTRY_12,
    phrase: "A 2-year short-cycle degree after 12 years of schooling, comparable to an associate degree; it gives access to bachelor's study (possibly with transfer credit).",
  },
  {
    id: "bachelor4",
    award: (r) => `Bachelor of ${r.pick(["Arts in History", "Science in Chemistry", "Engineering", "Business Administration"])}`,
    length: "4 years full-time",
    entry: "Upper secondary school leaving certificate (12 years of schooling) and entrance examination",
    credits: "240 credits, including a thesis",
    level: 6,
    admission: "master",
    levelQuote: "A bachelor's degree (学士, gakushi) is at JEQF level 6.",
    entryQuote: Q_ENTRY_16,
    phrase: "A 4-year bachelor's degree after 12 years of schooling makes 16 years of education, which gives access to a master's programme.",
  },
  {
    id: "master",
    award: (r) => `Master of ${r.pick(["Science in Physics", "Arts in Linguistics", "Public Health", "Engineering"])}`,
    length: "2 years full-time after a 4-year bachelor's degree",
    entry: "Bachelor's degree in a related field",
    credits: "120 credits, including a research thesis",
    level: 7,
    admission: "doctoral",
    levelQuote: "A master's degree (修士, shushi) is at JEQF level 7.",
    entryQuote: Q_ENTRY_DOC2,
    phrase: "A 2-year master's degree after a bachelor's degree, with a thesis; it gives access to doctoral study.",
  },
  {
    id: "doctorate",
    award: (r) => `Doctor of Philosophy in ${r.pick(["Sociology", "Materials Science", "Economics", "Botany"])}`,
    length: "4 years of supervised research after a master's degree",
    entry: "Master's degree with a research thesis",
    level: 8,
    admission: "doctoral",
    levelQuote: "A doctoral degree (博士, hakushi) is at JEQF level 8.",
    entryQuote: Q_ENTRY_DOC2,
    phrase: "A 4-year research doctorate whose entry requirement is a master's degree; it is the highest level of the framework and gives access to research careers.",
  },
  {
    id: "medicine",
    award: () => "Bachelor of Medicine (6-year first degree)",
    length: "6 years full-time",
    entry: "Upper secondary school leaving certificate (12 years of schooling) and national entrance examination",
    credits: "360 credits including clinical rotations",
    level: 7,
    admission: "doctoral",
    adjacent: 1,
    levelQuote: "A bachelor's degree in medicine (学士(医学), gakushi (igaku)) is at JEQF level 7.",
    entryQuote: Q_ENTRY_DOC2,
    phrase: "A 6-year medical degree after 12 years of schooling; like the Japanese bachelor's in medicine it sits one level above other bachelor's degrees and gives access to doctoral study in medicine.",
  },
];

const LEVEL_FAMILY: Record<string, string> = {
  secondary: "school-leaving",
  associate: "short-cycle higher education",
  bachelor4: "first-cycle (bachelor's)",
  master: "second-cycle (master's)",
  doctorate: "third-cycle (doctoral)",
  medicine: "long first-cycle professional",
};

function levelCase(seed: number, r: Rng): Scenario {
  const { name: country } = countryName(r);
  const v = r.pick(LEVEL_VARIANTS);
  const person = personName(r);
  const base = word(r);
  const institution =
    v.id === "secondary"
      ? `${base} Upper Secondary School No. ${r.int(1, 40)}`
      : v.id === "associate"
        ? `${base} Community College`
        : r.pick([`University of ${base}`, `${base} State University`, `${base} National University`]);
  const year = r.int(2010, 2024);
  const award = v.award(r);
  const sources: ScenarioSource[] = [
    { doc: JL, quote: v.levelQuote },
    { doc: RP, quote: v.entryQuote },
    { doc: JL, quote: Q_COMPARABLE },
  ];
  const justification = `${v.phrase} ${country}'s qualifications framework places it at the level of the comparable Japanese qualification, JEQF level ${v.level}; the institution is recognised by the ministry.`;
  const s = {
    id: `gen-level-${seed >>> 0}`,
    type: "level",
    title: `Generated: ${award}, ${country}`,
    skill: "levels",
    difficulty: v.adjacent !== undefined || v.id === "associate" ? 2 : 1,
    tags: ["generated", v.id],
    dossier: {
      applicant: { name: person, applying_for: r.pick(["admission to a Japanese university", "admission to a Japanese graduate school"]) },
      institution,
      country,
      institution_type: v.id === "secondary" ? "public upper secondary school" : "recognised by the ministry of education",
      award,
      programme_length: v.length,
      admission_requirements: v.entry,
      ...(v.credits ? { credits: v.credits } : {}),
      dates: [{ event: "awarded", date: `${year}-0${r.int(6, 7)}` }],
      notes: `${country}'s national qualifications framework places the award with its ${LEVEL_FAMILY[v.id] ?? "national"} qualifications.`,
    },
    question: "Which JEQF level is this qualification comparable to, and which entry in Japan does it give access to? Justify with the elements that decide.",
    answer: { level: v.level, admission: v.admission, justification },
    rubric: [
      {
        id: "level",
        label: "JEQF level",
        points: 3,
        check: "level",
        expected: v.level,
        ...(v.adjacent !== undefined ? { adjacent: v.adjacent } : {}),
        sources: [0, 2],
        feedback: {
          correct: `Right: JEQF level ${v.level}.`,
          incorrect: `This qualification is comparable to JEQF level ${v.level}.`,
          ...(v.adjacent !== undefined ? { partial: "One level off: defensible reasoning, but the comparable Japanese qualification sits one level higher." } : {}),
        },
      },
      {
        id: "admission",
        label: "Access in Japan",
        points: 2,
        check: "admission",
        expected: v.admission,
        sources: [1],
        feedback: { correct: "Right entry level.", incorrect: `It gives access to ${v.admission === "bachelor" ? "bachelor's" : v.admission === "master" ? "master's" : "doctoral"} study in Japan.` },
      },
      {
        id: "elements",
        label: "Names the deciding elements",
        points: 2,
        check: "concepts",
        concepts: ["programme_length", "entry_requirements", "progression"],
        min: 2,
        sources: [1, 2],
        feedback: { correct: "You named the deciding elements.", incorrect: "Name the elements that decide: length, entry requirements, access to further study.", partial: "Name one more deciding element." },
      },
    ],
    sources,
  };
  return scenarioSchema.parse(s);
}

/**
 * A generated case of the given type; the same `(type, seed)` always gives the same case.
 * The seed is taken as an unsigned 32-bit integer.
 */
export function generateCase(type: GeneratedType, seed: number): Scenario {
  const s = Math.trunc(seed) >>> 0;
  // Different streams per type, so `mill` and `level` with one seed are unrelated.
  const r = new Rng(mulberry32(s ^ (type === "mill" ? 0x9e3779b9 : 0x85ebca6b)));
  if (type === "mill") return millCase(s, r);
  if (type === "level") return levelCase(s, r);
  throw new Error(`cannot generate cases of type ${JSON.stringify(type)}`);
}

/** Parses generated-case ids (`gen-mill-123`) back to type and seed. */
export function parseGeneratedId(id: string): { type: GeneratedType; seed: number } | undefined {
  const m = /^gen-(mill|level)-(\d{1,10})$/.exec(id);
  if (!m) return undefined;
  const seed = Number(m[2]);
  return seed <= 0xffffffff ? { type: m[1] as GeneratedType, seed } : undefined;
}
