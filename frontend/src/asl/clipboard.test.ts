import { describe, expect, it } from "vitest";
import { copyName, copyStates, moveStates, pasteStates } from "./clipboard";
import { statesOf } from "./definition";
import { orderWorkflow } from "./fixtures";
import { allScopes, allStateNames, scopeLabel } from "./scopes";
import type { Definition } from "./types";

describe("copyName", () => {
  it("counts up from the name without its number", () => {
    const taken = new Set(["Charge card", "Charge card 2"]);
    expect(copyName("Charge card", taken)).toBe("Charge card 3");
    expect(copyName("Charge card 2", taken)).toBe("Charge card 3");
  });
});

describe("pasteStates", () => {
  it("copies a container with fresh names inside and its inner arrows kept", () => {
    const machine = orderWorkflow();
    const positions = {
      Ship: { x: 10, y: 20 },
      "/States/Ship/ItemProcessor/States/Post": { x: 16, y: 160 },
    };
    const clip = copyStates(machine, "", ["Ship"], positions);
    const pasted = pasteStates(machine, "", clip);
    const copy = statesOf(pasted.definition)["Ship 2"]!;
    expect(copy["ItemProcessor"]).toMatchObject({
      StartAt: "Label 2",
      States: {
        "Label 2": { Type: "Pass", Next: "Post 2" },
        "Post 2": { Type: "Pass", End: true },
      },
    });
    expect(pasted.keys).toEqual(["Ship 2"]);
    expect(pasted.positions["Ship 2"]).toEqual({ x: 50, y: 60 });
    expect(pasted.positions["/States/Ship 2/ItemProcessor/States/Post 2"]).toEqual({
      x: 16,
      y: 160,
    });
    // Every name is still unique across the machine; the original is untouched.
    expect(allStateNames(pasted.definition).size).toBe(allStateNames(machine).size + 3);
    expect(statesOf(machine)["Ship 2"]).toBeUndefined();
  });

  it("keeps arrows between copied states and clears those that led out", () => {
    const machine = orderWorkflow();
    const clip = copyStates(machine, "", ["Pack", "Ship", "Is it in stock?"], {});
    const states = statesOf(pasteStates(machine, "", clip).definition);
    expect(states["Pack 2"]).toMatchObject({ Next: "Ship 2" });
    // Its Catch led to "Out of stock", which was not copied.
    expect(states["Pack 2"]!["Catch"]).toEqual([{ ErrorEquals: ["States.ALL"] }]);
    expect(states["Is it in stock? 2"]!["Choices"]).toEqual([
      { Variable: "$.quantity", NumericLessThanEquals: 10, Next: "Pack 2" },
    ]);
    expect(states["Is it in stock? 2"]!["Default"]).toBeUndefined();
    // Ship ended the run; a copied Next to an uncopied state ends it too.
    const lone = statesOf(
      pasteStates(machine, "", copyStates(machine, "", ["Receive order"], {})).definition,
    );
    expect(lone["Receive order 2"]).toEqual({ Type: "Pass", End: true });
  });

  it("pastes into a Map's inner machine", () => {
    const machine = orderWorkflow();
    const clip = copyStates(machine, "", ["Receive order"], {});
    const scope = "/States/Ship/ItemProcessor";
    const pasted = pasteStates(machine, scope, clip);
    expect(pasted.keys).toEqual([`${scope}/States/Receive order 2`]);
    const inner = statesOf(statesOf(pasted.definition)["Ship"]!["ItemProcessor"] as never);
    expect(Object.keys(inner)).toEqual(["Label", "Post", "Receive order 2"]);
  });
});

describe("pasting a Parallel", () => {
  it("renames the states of every branch and keeps each branch's arrows", () => {
    const machine: Definition = {
      StartAt: "Enrich",
      States: {
        Enrich: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Profile",
              States: {
                Profile: { Type: "Pass", Next: "Tier" },
                Tier: { Type: "Pass", End: true },
              },
            },
            { StartAt: "Orders", States: { Orders: { Type: "Pass", End: true } } },
          ],
          End: true,
        },
      },
    };
    const pasted = pasteStates(machine, "", copyStates(machine, "", ["Enrich"], {}));
    const copy = statesOf(pasted.definition)["Enrich 2"]!;
    expect(copy["Branches"]).toEqual([
      {
        StartAt: "Profile 2",
        States: {
          "Profile 2": { Type: "Pass", Next: "Tier 2" },
          "Tier 2": { Type: "Pass", End: true },
        },
      },
      { StartAt: "Orders 2", States: { "Orders 2": { Type: "Pass", End: true } } },
    ]);
    expect(copy["End"]).toBe(true);
  });
});

describe("moveStates", () => {
  const inner = "/States/Ship/ItemProcessor";

  it("moves a state into a Map under its own name, cutting what led to it", () => {
    const machine = orderWorkflow();
    const moved = moveStates(machine, "", ["Pack"], inner, {}, { x: 16, y: 200 });
    expect(moved.keys).toEqual([`${inner}/States/Pack`]);
    expect(moved.positions[`${inner}/States/Pack`]).toEqual({ x: 16, y: 200 });
    const top = statesOf(moved.definition);
    expect(top["Pack"]).toBeUndefined();
    // The Choice rule that led to it keeps its condition and waits for a new target.
    expect(top["Is it in stock?"]!["Choices"]).toEqual([
      { Variable: "$.quantity", NumericLessThanEquals: 10 },
    ]);
    // Inside, its arrows to states it left behind are cleared: it ends, its Catch has no target.
    const inside = statesOf(top["Ship"]!["ItemProcessor"] as never);
    expect(inside["Pack"]).toMatchObject({ Type: "Task", End: true });
    expect(inside["Pack"]!["Next"]).toBeUndefined();
    expect(inside["Pack"]!["Catch"]).toEqual([{ ErrorEquals: ["States.ALL"] }]);
    expect(allStateNames(moved.definition)).toEqual(allStateNames(machine));
  });

  it("moves an inner state out to the top level, and the Map starts at the next one", () => {
    const machine = orderWorkflow();
    const moved = moveStates(machine, inner, ["Label"], "", {}, { x: 500, y: 40 });
    expect(moved.keys).toEqual(["Label"]);
    expect(statesOf(moved.definition)["Label"]).toEqual({ Type: "Pass", End: true });
    expect(statesOf(moved.definition)["Ship"]!["ItemProcessor"]).toEqual({
      StartAt: "Post",
      States: { Post: { Type: "Pass", End: true } },
    });
  });

  it("carries a container's insides and their positions, and refuses to go inside itself", () => {
    const machine = orderWorkflow();
    machine["States"] = {
      ...statesOf(machine),
      Box: {
        Type: "Parallel",
        Branches: [{ StartAt: "X", States: { X: { Type: "Pass", End: true } } }],
        End: true,
      },
    };
    const positions = { Ship: { x: 0, y: 300 }, [`${inner}/States/Post`]: { x: 16, y: 150 } };
    const branch = "/States/Box/Branches/0";
    const moved = moveStates(machine, "", ["Ship"], branch, positions, { x: 20, y: 60 });
    expect(moved.positions[`${branch}/States/Ship`]).toEqual({ x: 20, y: 60 });
    expect(moved.positions[`${branch}/States/Ship/ItemProcessor/States/Post`]).toEqual({
      x: 16,
      y: 150,
    });
    expect(() => moveStates(machine, "", ["Ship"], inner, {}, { x: 0, y: 0 })).toThrow(
      "cannot go inside itself",
    );
  });
});

describe("scopes in words", () => {
  it("lists the top level and every box, and names each", () => {
    expect(allScopes(orderWorkflow())).toEqual(["", "/States/Ship/ItemProcessor"]);
    expect(scopeLabel("/States/Ship/ItemProcessor")).toBe("“Ship”");
    expect(scopeLabel("/States/Split/Branches/1/States/Each/ItemProcessor")).toBe(
      "branch 2 of “Split” › “Each”",
    );
  });
});
