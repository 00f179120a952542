import { describe, expect, it } from "vitest";
import { problemOf, textToValue, valueToText } from "./fieldText";

describe("textToValue", () => {
  it("leaves a field out when its box is empty", () => {
    expect(textToValue("count", "  ")).toEqual({ value: undefined });
    expect(textToValue("json", "")).toEqual({ value: undefined });
  });

  it("reads counts as whole numbers and refuses fractions and negatives", () => {
    expect(textToValue("count", "30")).toEqual({ value: 30 });
    expect(problemOf("count", "2.5")).toBe("Enter a whole number of 0 or more.");
    expect(problemOf("count", "-1")).toBe("Enter a whole number of 0 or more.");
  });

  it("reads decimals such as a back-off rate", () => {
    expect(textToValue("decimal", "1.5")).toEqual({ value: 1.5 });
    expect(problemOf("decimal", "fast")).toBe("Enter a number of 0 or more.");
  });

  it("parses JSON and names broken JSON", () => {
    expect(textToValue("json", '{"a": [1, null]}')).toEqual({ value: { a: [1, null] } });
    expect(textToValue("json", "null")).toEqual({ value: null });
    expect(problemOf("json", "{a}")).toBe("This is not valid JSON.");
  });
});

describe("valueToText", () => {
  it("shows text as typed and other values as JSON", () => {
    expect(valueToText("text", "$.order")).toBe("$.order");
    expect(valueToText("count", 3)).toBe("3");
    expect(valueToText("json", { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(valueToText("json", undefined)).toBe("");
  });
});
