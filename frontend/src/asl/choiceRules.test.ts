import { describe, expect, it } from "vitest";
import type { JsonObject } from "./types";
import { adaptValue, buildSimpleRule, parseSimpleRule, type SimpleRule } from "./choiceRules";

const form = (overrides: Partial<SimpleRule>): SimpleRule => ({
  variable: "$.total",
  operator: "NumericGreaterThan",
  usesPath: false,
  value: "100",
  next: "Review",
  ...overrides,
});

describe("parseSimpleRule", () => {
  it("reads a one-comparison rule into the form's fields", () => {
    expect(parseSimpleRule({ Variable: "$.n", NumericLessThanEquals: 10, Next: "Pack" })).toEqual({
      variable: "$.n",
      operator: "NumericLessThanEquals",
      usesPath: false,
      value: "10",
      next: "Pack",
    });
  });

  it("recognises the Path form of an operator", () => {
    expect(parseSimpleRule({ Variable: "$.a", StringEqualsPath: "$.b", Next: "X" })).toMatchObject({
      operator: "StringEquals",
      usesPath: true,
      value: "$.b",
    });
  });

  it("leaves compound and JSONata rules to the JSON editor", () => {
    expect(parseSimpleRule({ And: [], Next: "X" })).toBeNull();
    expect(parseSimpleRule({ Condition: "{% true %}", Next: "X" })).toBeNull();
    expect(
      parseSimpleRule({ Variable: "$.a", StringEquals: "x", NumericEquals: 1, Next: "X" }),
    ).toBeNull();
  });
});

describe("buildSimpleRule", () => {
  it("writes a numeric comparison with a number, not text", () => {
    expect(buildSimpleRule(form({}))).toEqual({
      rule: { Variable: "$.total", NumericGreaterThan: 100, Next: "Review" },
    });
  });

  it("writes a Path comparison under the operator's Path name", () => {
    expect(buildSimpleRule(form({ usesPath: true, value: "$.limit" }))).toEqual({
      rule: { Variable: "$.total", NumericGreaterThanPath: "$.limit", Next: "Review" },
    });
  });

  it("keeps the rule's comment", () => {
    const built = buildSimpleRule(form({ operator: "IsPresent", value: "true" }), "has a total");
    expect(built).toEqual({
      rule: { Variable: "$.total", IsPresent: true, Next: "Review", Comment: "has a total" },
    });
  });

  it("explains a value that does not fit the operator", () => {
    expect(buildSimpleRule(form({ value: "lots" }))).toEqual({
      error: "Enter a number to compare with.",
    });
    expect(buildSimpleRule(form({ operator: "BooleanEquals", value: "yes" }))).toEqual({
      error: "Choose true or false.",
    });
    expect(buildSimpleRule(form({ variable: "total" }))).toHaveProperty("error");
  });

  it("round-trips every rule it can read", () => {
    const rules: JsonObject[] = [
      { Variable: "$.s", StringMatches: "a*", Next: "A" },
      { Variable: "$.b", BooleanEquals: false, Next: "B" },
      { Variable: "$.t", TimestampLessThan: "2026-01-01T00:00:00Z", Next: "C" },
    ];
    for (const rule of rules) {
      const parsed = parseSimpleRule(rule);
      expect(parsed && buildSimpleRule(parsed)).toEqual({ rule });
    }
  });
});

describe("adaptValue", () => {
  it("keeps a value that still fits and replaces one that does not", () => {
    expect(adaptValue("NumericLessThan", "12", false)).toBe("12");
    expect(adaptValue("NumericLessThan", "twelve", false)).toBe("0");
    expect(adaptValue("IsPresent", "12", false)).toBe("true");
    expect(adaptValue("StringEquals", "12", false)).toBe("12");
  });
});
