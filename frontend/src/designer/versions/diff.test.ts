import { describe, expect, it } from "vitest";
import type { Definition } from "../../asl/types";
import { diffDefinitions, fieldLabel, transitionText, valueText } from "./diff";

const before: Definition = {
  StartAt: "Charge",
  States: {
    Charge: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:1:function:charge",
      Parameters: { "amount.$": "$.total" },
      Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
      Next: "Paid?",
    },
    "Paid?": {
      Type: "Choice",
      Choices: [{ Variable: "$.paid", BooleanEquals: true, Next: "Done" }],
      Default: "Fail",
    },
    Done: { Type: "Succeed" },
    Fail: { Type: "Fail" },
    Each: {
      Type: "Map",
      ItemProcessor: { StartAt: "One", States: { One: { Type: "Pass", End: true } } },
      End: true,
    },
  },
};

function after(): Definition {
  const copy = JSON.parse(JSON.stringify(before)) as Definition;
  const states = copy["States"] as Record<string, Definition>;
  states["Charge"]!["Parameters"] = { "amount.$": "$.order.total" };
  (states["Charge"]!["Retry"] as Definition[])[0]!["MaxAttempts"] = 5;
  (states["Paid?"]!["Choices"] as Definition[])[0]!["Next"] = "Thank";
  states["Thank"] = { Type: "Pass", Next: "Done" };
  delete states["Fail"];
  states["Paid?"]!["Default"] = "Done";
  const processor = states["Each"]!["ItemProcessor"] as Definition;
  (processor["States"] as Record<string, Definition>)["One"]!["Comment"] = "each item";
  return copy;
}

describe("diffDefinitions", () => {
  const diff = diffDefinitions(before, after());
  const kind = (name: string) => diff.states.find((s) => s.name === name)?.kind;

  it("marks each state added, removed, changed or the same, at any depth", () => {
    expect(kind("Thank")).toBe("added");
    expect(kind("Fail")).toBe("removed");
    expect(kind("Charge")).toBe("changed");
    expect(kind("Done")).toBe("same");
    expect(kind("One")).toBe("changed");
    // A container is not changed by what changed inside it: that state says so itself.
    expect(kind("Each")).toBe("same");
  });

  it("names the fields that changed in words, with both values", () => {
    const charge = diff.states.find((s) => s.name === "Charge")!;
    expect(charge.changes.map((c) => [c.label, valueText(c.before), valueText(c.after)])).toEqual([
      ["parameters › amount.$", "$.total", "$.order.total"],
      ["Retry 1 › max attempts", "2", "5"],
    ]);
    expect(charge.changes[1]!.path).toBe("Retry[0].MaxAttempts");
  });

  it("lists the arrows that came and went", () => {
    const arrows = diff.transitions.map((t) => `${t.kind}: ${transitionText(t.transition)}`);
    expect(arrows).toEqual(
      expect.arrayContaining([
        "removed: Paid? → Done (rule 1: paid = true)",
        "added: Paid? → Thank (rule 1: paid = true)",
        "added: Thank → Done",
        "removed: Paid? → Fail (default)",
        "added: Paid? → Done (default)",
      ]),
    );
    expect(arrows).toHaveLength(5);
  });

  it("finds nothing between a machine and itself", () => {
    const same = diffDefinitions(before, before);
    expect(same.states.every((s) => s.kind === "same")).toBe(true);
    expect(same.transitions).toEqual([]);
    expect(same.machine).toEqual([]);
  });
});

describe("valueText and fieldLabel", () => {
  it("reads values as a person would", () => {
    expect(valueText(undefined)).toBe("not set");
    expect(valueText(["A", "B"])).toBe("A, B");
    expect(valueText({ a: 1, b: "x" })).toBe("a: 1, b: x");
    expect(valueText("x".repeat(200), 10)).toBe("x".repeat(200));
    expect(valueText({ long: "y".repeat(50) }, 10)).toBe("long: yyy…");
  });

  it("says list items by their number, from 1", () => {
    expect(fieldLabel(["Catch", "1", "Next"])).toBe("Catch 2 › next state");
    expect(fieldLabel(["TimeoutSeconds"])).toBe("timeout (seconds)");
  });
});
