import { describe, expect, it } from "vitest";
import { statesOf } from "./definition";
import {
  addBranch,
  addState,
  changeType,
  connect,
  deleteState,
  disconnect,
  EditError,
  parseErrorList,
  referencesTo,
  removeBranch,
  renameState,
  setField,
  setNext,
} from "./edits";
import { orderWorkflow } from "./fixtures";
import { transitionsOf } from "./transitions";
import type { Definition } from "./types";

describe("addState", () => {
  it("adds a state with a unique name and leaves the original untouched", () => {
    const original = orderWorkflow();
    const first = addState(original, "Pass");
    const second = addState(first.definition, "Pass");
    expect([first.name, second.name]).toEqual(["Pass", "Pass 2"]);
    expect(statesOf(second.definition)["Pass 2"]).toEqual({ Type: "Pass", End: true });
    expect(statesOf(original)["Pass"]).toBeUndefined();
  });

  it("makes the first state of an empty machine its start", () => {
    const { definition } = addState({}, "Wait");
    expect(definition).toEqual({
      StartAt: "Wait",
      States: { Wait: { Type: "Wait", Seconds: 1, End: true } },
    });
  });

  it("gives a Map an inline item processor of its own", () => {
    const { definition, name } = addState({ States: {} }, "Map");
    expect(statesOf(definition)[name]).toMatchObject({
      ItemProcessor: { StartAt: "Item step" },
      End: true,
    });
  });
});

describe("renameState", () => {
  it("renames a state and every top-level reference to it, keeping its place", () => {
    const renamed = renameState(orderWorkflow(), "Out of stock", "Reject");
    expect(Object.keys(statesOf(renamed))).toEqual([
      "Receive order",
      "Is it in stock?",
      "Pack",
      "Ship",
      "Reject",
    ]);
    const targets = transitionsOf(renamed).map((t) => t.target);
    expect(targets.filter((t) => t === "Reject")).toHaveLength(2);
    expect(JSON.stringify(renamed)).not.toContain('"Out of stock"');
  });

  it("moves StartAt with the renamed start state", () => {
    expect(renameState(orderWorkflow(), "Receive order", "Begin")["StartAt"]).toBe("Begin");
  });

  it("refuses a name that is taken or empty, naming the problem", () => {
    expect(() => renameState(orderWorkflow(), "Pack", "Ship")).toThrow(/already exists/);
    expect(() => renameState(orderWorkflow(), "Pack", "  ")).toThrow(EditError);
  });
});

describe("deleteState", () => {
  it("removes the state and every arrow into it, but keeps the rules and handlers that had one", () => {
    const result = deleteState(orderWorkflow(), "Out of stock");
    const states = statesOf(result);
    expect(states["Out of stock"]).toBeUndefined();
    expect(states["Is it in stock?"]?.["Default"]).toBeUndefined();
    // The error handler stays, waiting for a new target, rather than vanishing unseen.
    expect(states["Pack"]?.["Catch"]).toEqual([{ ErrorEquals: ["States.ALL"] }]);
    expect(transitionsOf(result).some((t) => t.target === "Out of stock")).toBe(false);
  });

  it("keeps a Choice rule whose target is deleted, with its condition and no target", () => {
    const definition: Definition = {
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [
            { Variable: "$.n", NumericGreaterThan: 1, Next: "Big" },
            { Variable: "$.n", NumericEquals: 0, Next: "Zero" },
          ],
          Default: "Zero",
        },
        Big: { Type: "Succeed" },
        Zero: { Type: "Succeed" },
      },
    };
    const pick = statesOf(deleteState(definition, "Big"))["Pick"];
    expect(pick?.["Choices"]).toEqual([
      { Variable: "$.n", NumericGreaterThan: 1 },
      { Variable: "$.n", NumericEquals: 0, Next: "Zero" },
    ]);
  });
});

describe("referencesTo", () => {
  it("says in plain words everything that leads to a state", () => {
    expect(referencesTo(orderWorkflow(), "Out of stock")).toEqual([
      '"Is it in stock?" goes to it by default.',
      'Error handler 1 of "Pack" leads to it.',
    ]);
    expect(referencesTo(orderWorkflow(), "Receive order")).toEqual(["The run starts here."]);
  });

  it("names a Choice rule by its number and its condition", () => {
    const definition: Definition = {
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [{ Variable: "$.n", NumericGreaterThan: 1, Next: "Big" }],
        },
        Big: { Type: "Succeed" },
      },
    };
    expect(referencesTo(definition, "Big")).toEqual(['Rule 1 of "Pick" (n > 1) leads to it.']);
  });
});

describe("Parallel branches", () => {
  const parallel = () => addState({}, "Parallel", "Both").definition;

  it("adds a branch holding one step", () => {
    const both = statesOf(addBranch(parallel(), "Both", "Second step"))["Both"];
    expect(both?.["Branches"]).toEqual([
      { StartAt: "Branch step", States: { "Branch step": { Type: "Pass", End: true } } },
      { StartAt: "Second step", States: { "Second step": { Type: "Pass", End: true } } },
    ]);
  });

  it("removes a branch but never the last one", () => {
    const two = addBranch(parallel(), "Both", "Second step");
    const one = removeBranch(two, "Both", 0);
    expect((statesOf(one)["Both"]?.["Branches"] as unknown[]).length).toBe(1);
    expect(() => removeBranch(one, "Both", 0)).toThrow("at least one branch");
  });

  it("ends the run where a state led to the deleted one", () => {
    const states = statesOf(deleteState(orderWorkflow(), "Ship"));
    expect(states["Pack"]).toMatchObject({ End: true });
    expect(states["Pack"]?.["Next"]).toBeUndefined();
  });

  it("moves the start to the first remaining state when the start is deleted", () => {
    expect(deleteState(orderWorkflow(), "Receive order")["StartAt"]).toBe("Is it in stock?");
  });

  it("names the state when asked to delete one that does not exist", () => {
    expect(() => deleteState(orderWorkflow(), "Ghost")).toThrow('There is no state named "Ghost".');
  });
});

describe("connect", () => {
  it("sets Next and drops End when a handle is dragged between ordinary states", () => {
    const { definition } = addState(orderWorkflow(), "Pass", "Audit");
    const states = statesOf(connect(definition, "Audit", "Ship"));
    expect(states["Audit"]).toEqual({ Type: "Pass", Next: "Ship" });
  });

  it("fills a Choice's Default first, then adds a rule", () => {
    let definition = setField(orderWorkflow(), "Is it in stock?", "Default", undefined);
    definition = connect(definition, "Is it in stock?", "Ship");
    expect(statesOf(definition)["Is it in stock?"]?.["Default"]).toBe("Ship");
    definition = connect(definition, "Is it in stock?", "Receive order");
    const rules = statesOf(definition)["Is it in stock?"]?.["Choices"];
    expect(Array.isArray(rules) && rules[1]).toMatchObject({ Next: "Receive order" });
  });

  it("refuses to lead anywhere from a Fail state", () => {
    expect(() => connect(orderWorkflow(), "Out of stock", "Pack")).toThrow(/ends the run/);
  });
});

describe("disconnect", () => {
  it("removes exactly the Choice rule or Catch an edge stands for", () => {
    const definition = orderWorkflow();
    const catchEdge = transitionsOf(definition).find((t) => t.kind === "catch");
    const ruleEdge = transitionsOf(definition).find((t) => t.kind === "choice");
    if (!catchEdge || !ruleEdge) throw new Error("fixture has both kinds");
    const result = disconnect(disconnect(definition, catchEdge), ruleEdge);
    expect(transitionsOf(result).map((t) => t.kind)).toEqual(["next", "default", "next"]);
  });
});

describe("setNext, setField and changeType", () => {
  it("switches between Next and End", () => {
    const ended = setNext(orderWorkflow(), "Receive order", null);
    expect(statesOf(ended)["Receive order"]).toEqual({ Type: "Pass", End: true });
    const linked = setNext(ended, "Receive order", "Pack");
    expect(statesOf(linked)["Receive order"]).toEqual({ Type: "Pass", Next: "Pack" });
  });

  it("sets and removes a field", () => {
    const withSeconds = setField(orderWorkflow(), "Pack", "TimeoutSeconds", 30);
    expect(statesOf(withSeconds)["Pack"]?.["TimeoutSeconds"]).toBe(30);
    expect(
      statesOf(setField(withSeconds, "Pack", "TimeoutSeconds", undefined))["Pack"],
    ).not.toHaveProperty("TimeoutSeconds");
  });

  it("keeps the comment and the transition when changing a Pass into a Wait", () => {
    const definition = setField(orderWorkflow(), "Receive order", "Comment", "first");
    const changed = statesOf(changeType(definition, "Receive order", "Wait"))["Receive order"];
    expect(changed).toEqual({
      Type: "Wait",
      Seconds: 1,
      Comment: "first",
      Next: "Is it in stock?",
    });
  });

  it("drops Next when a state becomes a Succeed", () => {
    expect(statesOf(changeType(orderWorkflow(), "Pack", "Succeed"))["Pack"]).toEqual({
      Type: "Succeed",
    });
  });
});

describe("parseErrorList", () => {
  it("splits a typed list of errors and drops blanks", () => {
    expect(parseErrorList(" States.Timeout,MyError , ,")).toEqual(["States.Timeout", "MyError"]);
    expect(parseErrorList("  ")).toEqual([]);
  });
});

describe("edits of a half-written definition", () => {
  it("names a state that is not an object instead of failing obscurely", () => {
    const definition = { StartAt: "A", States: { A: "oops" } };
    expect(() => changeType(definition, "A", "Pass")).toThrow(
      'State "A" is not a JSON object; fix it in the code view.',
    );
  });

  it("still deletes such a state", () => {
    expect(
      deleteState({ StartAt: "A", States: { A: "oops", B: { Type: "Succeed" } } }, "A"),
    ).toEqual({
      StartAt: "B",
      States: { B: { Type: "Succeed" } },
    });
  });
});
