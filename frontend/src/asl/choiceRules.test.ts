import { describe, expect, it } from "vitest";
import type { JsonObject } from "./types";
import {
  adaptValue,
  buildSimpleRule,
  describeCondition,
  hasPathVariant,
  newComparison,
  OPERATORS,
  parseSimpleRule,
  splitRule,
  type SimpleRule,
} from "./choiceRules";

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

// Plain words for every comparison ASL has (https://states-language.net/#choice-state), and
// And/Or/Not at any depth.
describe("describeCondition", () => {
  it("says a comparison in plain words", () => {
    expect(describeCondition({ Variable: "$.amount", NumericGreaterThan: 1000 })).toBe(
      "amount is greater than 1000",
    );
    expect(describeCondition({ Variable: "$.customer.tier", StringEquals: "gold" })).toBe(
      "customer.tier is “gold”",
    );
    expect(describeCondition({ Variable: "$.due", TimestampLessThanPath: "$.now" })).toBe(
      "due is before the value at now",
    );
    expect(describeCondition({ Variable: "$.email", StringMatches: "*@example.com" })).toBe(
      "email matches the pattern “*@example.com”",
    );
    expect(describeCondition({ Variable: "$", IsPresent: true })).toBe("the input is present");
    expect(describeCondition({ Variable: "$.x", IsPresent: false })).toBe("x is missing");
    expect(describeCondition({ Variable: "$.x", IsNull: false })).toBe("x is not null");
    expect(describeCondition({ Variable: "$.ok", BooleanEquals: true })).toBe("ok is true");
  });

  it("has words for every operator, both ways round for the type tests", () => {
    for (const operator of OPERATORS) {
      const value = operator.startsWith("Is") || operator === "BooleanEquals" ? true : "1";
      const words = describeCondition({ Variable: "$.v", [operator]: value });
      expect(words).toMatch(/^v /);
      expect(words).not.toContain(operator);
    }
  });

  it("nests And, Or and Not to any depth", () => {
    const rule: JsonObject = {
      And: [
        { Variable: "$.a", NumericLessThan: 5 },
        {
          Or: [
            { Not: { Variable: "$.b", StringEquals: "x" } },
            { Variable: "$.c", IsString: true },
          ],
        },
      ],
    };
    expect(describeCondition(rule)).toBe(
      "(a is less than 5) and ((not (b is “x”)) or (c is text))",
    );
    expect(describeCondition({ And: [{ Foo: 1 }] })).toBeNull();
  });
});

describe("rules and their targets", () => {
  it("writes no Next until one is chosen, so a new rule never loops back silently", () => {
    const built = buildSimpleRule(form({ next: "" }));
    expect(built).toEqual({ rule: { Variable: "$.total", NumericGreaterThan: 100 } });
    expect(newComparison("JSONPath")).not.toHaveProperty("Next");
  });

  it("splits a rule's condition from where it goes and what it assigns", () => {
    const rule = { Variable: "$.n", NumericEquals: 1, Next: "A", Comment: "c", Assign: { x: 1 } };
    expect(splitRule(rule)).toEqual({
      condition: { Variable: "$.n", NumericEquals: 1 },
      extras: { Next: "A", Comment: "c", Assign: { x: 1 } },
    });
  });

  it("reads back every comparison it builds, the Path forms too", () => {
    for (const operator of OPERATORS) {
      for (const usesPath of hasPathVariant(operator) ? [false, true] : [false]) {
        const value = usesPath
          ? "$.other"
          : adaptValue(
              operator,
              operator.startsWith("Timestamp") ? "2030-01-01T00:00:00Z" : "7",
              false,
            );
        const built = buildSimpleRule({ variable: "$.v", operator, usesPath, value, next: "N" });
        if (!("rule" in built)) throw new Error(built.error);
        expect(parseSimpleRule(built.rule)).toEqual({
          variable: "$.v",
          operator,
          usesPath,
          value,
          next: "N",
        });
      }
    }
  });
});
