import { describe, expect, it } from "vitest";
import { isInstructorRole, moduleIdOf, type LaunchClaims } from "../../src/channels/lti/claims.js";
import { scoresUrl } from "../../src/channels/lti/util.js";

const LIS = "http://purl.imsglobal.org/vocab/lis/v2";

describe("LTI claim helpers", () => {
  it("tells staff from learners by their course roles", () => {
    expect(isInstructorRole([`${LIS}/membership#Instructor`])).toBe(true);
    expect(isInstructorRole([`${LIS}/membership/Instructor#TeachingAssistant`])).toBe(true);
    expect(isInstructorRole([`${LIS}/membership#Administrator`])).toBe(true);
    expect(isInstructorRole([`${LIS}/system/person#Administrator`, `${LIS}/membership#Learner`])).toBe(true);
    expect(isInstructorRole(["Instructor"])).toBe(true);
    expect(isInstructorRole([`${LIS}/membership#Learner`])).toBe(false);
    expect(isInstructorRole([`${LIS}/institution/person#Instructor`, `${LIS}/membership#Learner`])).toBe(false);
    expect(isInstructorRole([`${LIS}/institution/person#Instructor`])).toBe(true);
    expect(isInstructorRole([])).toBe(false);
  });

  it("reads the module from the custom claim, else from target_link_uri", () => {
    const base = { "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": "https://tool.example/lti/launch?module=from-uri" } as unknown as LaunchClaims;
    expect(moduleIdOf({ ...base, "https://purl.imsglobal.org/spec/lti/claim/custom": { module_id: "from-custom" } } as LaunchClaims)).toBe("from-custom");
    expect(moduleIdOf(base)).toBe("from-uri");
    // An unsubstituted LMS variable is not a module id.
    expect(moduleIdOf({ ...base, "https://purl.imsglobal.org/spec/lti/claim/custom": { module_id: "$Canvas.module.id" } } as LaunchClaims)).toBe("from-uri");
  });

  it("builds the AGS scores URL keeping the line item's query", () => {
    expect(scoresUrl("https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1")).toBe("https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1");
    expect(scoresUrl("https://canvas.example/api/lti/courses/1/line_items/5")).toBe("https://canvas.example/api/lti/courses/1/line_items/5/scores");
  });
});
