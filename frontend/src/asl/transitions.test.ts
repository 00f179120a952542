import { describe, expect, it } from "vitest";
import { orderWorkflow } from "./fixtures";
import type { JsonObject } from "./types";
import { describeRule, transitionsOf } from "./transitions";

describe("transitionsOf", () => {
  it("finds Next, Choice rules, the Default and Catch transitions", () => {
    const found = transitionsOf(orderWorkflow()).map((t) => [t.source, t.target, t.kind, t.label]);
    expect(found).toEqual([
      ["Receive order", "Is it in stock?", "next", ""],
      ["Is it in stock?", "Pack", "choice", "quantity ≤ 10"],
      ["Is it in stock?", "Out of stock", "default", "Default"],
      ["Pack", "Ship", "next", ""],
      ["Pack", "Out of stock", "catch", "on States.ALL"],
    ]);
  });

  it("leaves out transitions to states that do not exist instead of failing", () => {
    const definition = {
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "Nowhere" }, B: "not a state" },
    };
    expect(transitionsOf(definition)).toEqual([]);
  });

  it("copes with a definition that has no States at all", () => {
    expect(transitionsOf({ StartAt: 3 })).toEqual([]);
  });
});

describe("describeRule", () => {
  it("reads a comparison with a path operand, paths in words and text quoted", () => {
    expect(describeRule({ Variable: "$.a", NumericGreaterThanPath: "$.b" })).toBe("a > b");
    expect(describeRule({ Variable: "$.t", TimestampLessThanPath: "$.u" })).toBe("t < u");
    expect(describeRule({ Variable: "$.s", StringEqualsPath: "$.u" })).toBe("s = u");
    expect(describeRule({ Variable: "$.s", StringEquals: "$.u" })).toBe('s = "$.u"');
    expect(describeRule({ Variable: "$", IsNull: true })).toBe("the input is null");
  });

  it("joins And rules and negates Not rules", () => {
    const rule: JsonObject = {
      And: [
        { Variable: "$.kind", StringEquals: "book" },
        { Not: { Variable: "$.gift", BooleanEquals: true } },
      ],
    };
    expect(describeRule(rule)).toBe('kind = "book" and not (gift = true)');
  });

  it("shows type tests and JSONata conditions as they are", () => {
    expect(describeRule({ Variable: "$.x", IsPresent: false })).toBe("x not present");
    expect(describeRule({ Condition: "{% $states.input.n > 1 %}" })).toBe(
      "{% $states.input.n > 1 %}",
    );
  });
});
