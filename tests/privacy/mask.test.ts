import { describe, expect, it } from "vitest";
import { maskPersonalData } from "../../src/core/privacy/mask.js";

describe("maskPersonalData", () => {
  it("masks e-mail, phone, passport number and birth date in an officer's question", () => {
    const q =
      "Applicant Tanaka Hiroshi, passport TZ1234567, born 1999-04-02, e-mail hiroshi.tanaka@example.com, phone +81 90-1234-5678, holds a Diplom FH. Is it enough for a master's?";
    const { text, found } = maskPersonalData(q);
    for (const secret of ["Tanaka", "Hiroshi", "TZ1234567", "1999-04-02", "hiroshi.tanaka@example.com", "1234-5678"]) expect(text).not.toContain(secret);
    expect(found).toMatchObject({ email: 1, passport: 1, birthdate: 1, name: 1 });
    expect(found.phone).toBeGreaterThanOrEqual(1);
    expect(text).toContain("Diplom FH");
    expect(text).toContain("master's");
  });

  it("masks Japanese names with honorifics and after 氏名, and Japanese-format phone numbers", () => {
    const { text } = maskPersonalData("山田花子さんの学位は修士ですか。氏名: 佐藤 一郎、電話 03-1234-5678、生年月日 2001年4月2日");
    expect(text).not.toContain("山田花子");
    expect(text).not.toContain("佐藤");
    expect(text).not.toContain("03-1234-5678");
    expect(text).not.toContain("2001年4月2日");
    expect(text).toContain("修士");
  });

  it("masks ID and residence card numbers after their cue", () => {
    const { text, found } = maskPersonalData("Residence card AB12345678CD and student ID 2024-00123 were attached.");
    expect(text).not.toContain("AB12345678CD");
    expect(text).not.toContain("2024-00123");
    expect(found.id).toBe(2);
  });

  it("keeps the subject matter: dates, numbers, institutions and qualifications", () => {
    const q = "Japan ratified the Tokyo Convention on 6 December 2017; a bachelor's needs 124 credits; 242 of 1303 offices answered. Is NIC-Japan a competent recognition authority?";
    const { text, found } = maskPersonalData(q);
    expect(text).toBe(q);
    expect(Object.values(found).every((n) => n === 0)).toBe(true);
  });
});
