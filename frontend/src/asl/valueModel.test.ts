// The key–value editor's model: ASL payload templates -> form -> ASL, unchanged.
// Payload templates: https://states-language.net/#payload-template ; JSONata values:
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
import { describe, expect, it } from "vitest";
import { defaultArgs, formatCall, INTRINSICS, parseCall } from "./intrinsics";
import {
  describeValue,
  fromForm,
  pathOf,
  pathSegments,
  pathToJsonata,
  representable,
  toForm,
  type FormValue,
} from "./valueModel";
import type { JsonValue } from "./types";

const roundTrip = (value: JsonValue, mode: "jsonpath" | "jsonata" | "literal") =>
  fromForm(toForm(value, mode), mode);

describe("the key–value model", () => {
  it("reads every kind of a JSONPath payload template and writes it back unchanged", () => {
    const template: JsonValue = {
      name: "Ada",
      count: 3,
      vip: true,
      note: null,
      tags: ["a", 2, { deep: false }],
      address: { city: "Paris", "zip.$": "$.zip" },
      "tier.$": "$.customer.tier",
      "id.$": "$$.Execution.Id",
      "greeting.$": "States.Format('Hello {}, you owe {}', $.name, $.total)",
      "parts.$": "States.ArrayPartition(States.Array(1, 2, 3), 2)",
      "odd.$": "States.Format('it\\'s \\{\\}',$.x)",
    };
    expect(roundTrip(template, "jsonpath")).toEqual(template);
    expect(representable(template, "jsonpath")).toBe(true);
    const form = toForm(template, "jsonpath");
    if (form.kind !== "object") throw new Error("an object");
    const kinds = Object.fromEntries(form.entries.map((e) => [e.key, e.value.kind]));
    expect(kinds).toEqual({
      name: "text",
      count: "number",
      vip: "boolean",
      note: "null",
      tags: "list",
      address: "object",
      tier: "path",
      id: "path",
      greeting: "intrinsic",
      parts: "intrinsic",
      // Spaced unlike the form prints it: kept as typed, as an expression.
      odd: "expression",
    });
  });

  it("keeps key order, so saving without edits changes nothing", () => {
    const template = { b: 1, "a.$": "$.a", c: { z: 1, y: 2 } };
    expect(JSON.stringify(roundTrip(template, "jsonpath"))).toBe(JSON.stringify(template));
  });

  it("writes a value from the data with the .$ suffix in JSONPath and as {% %} in JSONata", () => {
    const value: FormValue = {
      kind: "object",
      entries: [{ key: "tier", value: { kind: "path", path: "$.customer.tier" } }],
    };
    expect(fromForm(value, "jsonpath")).toEqual({ "tier.$": "$.customer.tier" });
    expect(fromForm(value, "jsonata")).toEqual({ tier: "{% $states.input.customer.tier %}" });
    expect(toForm({ tier: "{% $states.input.customer.tier %}" }, "jsonata")).toEqual(value);
  });

  it("keeps other JSONata expressions as typed", () => {
    const value = { total: "{% $sum($states.input.items.price) %}", n: 1 };
    expect(roundTrip(value, "jsonata")).toEqual(value);
    const form = toForm(value, "jsonata");
    expect(form.kind === "object" && form.entries[0]?.value.kind).toBe("expression");
  });

  it("treats a Pass Result as plain data: a .$ key is only a name there", () => {
    const value = { "x.$": "$.y" };
    const form = toForm(value, "literal");
    expect(form.kind === "object" && form.entries[0]).toEqual({
      key: "x.$",
      value: { kind: "text", text: "$.y" },
    });
    expect(roundTrip(value, "literal")).toEqual(value);
  });

  it("describes values in plain words", () => {
    expect(describeValue({ kind: "path", path: "$.customer.tier" })).toBe(
      "the input’s customer.tier",
    );
    expect(describeValue({ kind: "object", entries: [] })).toBe("0 fields");
  });
});

describe("paths", () => {
  it("builds and splits paths, quoting names that need it", () => {
    expect(pathOf(["customer", "tier"])).toBe("$.customer.tier");
    expect(pathOf(["items", 0, "first name"])).toBe("$.items[0]['first name']");
    expect(pathSegments("$.items[0]['first name']")).toEqual(["items", 0, "first name"]);
    expect(pathSegments("$.items[?(@.x)]")).toBeNull();
    expect(pathToJsonata("$.items[0].price")).toBe("$states.input.items[0].price");
  });
});

describe("intrinsic functions", () => {
  it("parses calls with every kind of argument and prints them back", () => {
    const text = "States.Format('a {} b\\'s', $.x, 3, true, null, States.UUID())";
    const call = parseCall(text);
    expect(call?.args.map((a) => a.kind)).toEqual([
      "text",
      "path",
      "number",
      "boolean",
      "null",
      "call",
    ]);
    expect(call?.args[0]).toEqual({ kind: "text", text: "a {} b's" });
    expect(formatCall(call!)).toBe(text);
    expect(parseCall("States.Format('\\{literal\\}')")?.args[0]).toEqual({
      kind: "text",
      text: "\\{literal\\}",
    });
  });

  it("refuses text that is not one whole call", () => {
    expect(parseCall("States.Format('a'")).toBeNull();
    expect(parseCall("States.UUID() + 1")).toBeNull();
    expect(parseCall("$.x")).toBeNull();
  });
});

describe("the function menu", () => {
  it("offers every intrinsic the brief names, each starting with arguments that read back", () => {
    const names = INTRINSICS.map((s) => s.name);
    for (const name of [
      "States.Format",
      "States.StringToJson",
      "States.JsonToString",
      "States.Array",
      "States.ArrayPartition",
      "States.ArrayContains",
      "States.ArrayRange",
      "States.ArrayGetItem",
      "States.ArrayLength",
      "States.ArrayUnique",
      "States.Base64Encode",
      "States.Base64Decode",
      "States.Hash",
      "States.JsonMerge",
      "States.MathRandom",
      "States.MathAdd",
      "States.StringSplit",
      "States.UUID",
    ])
      expect(names).toContain(name);
    for (const name of names) {
      const call = { name, args: defaultArgs(name) };
      expect(parseCall(formatCall(call))).toEqual(call);
    }
    expect(formatCall({ name: "States.Hash", args: defaultArgs("States.Hash") })).toBe(
      "States.Hash($, 'SHA-256')",
    );
    expect(formatCall({ name: "States.JsonMerge", args: defaultArgs("States.JsonMerge") })).toBe(
      "States.JsonMerge($, $, false)",
    );
  });
});
