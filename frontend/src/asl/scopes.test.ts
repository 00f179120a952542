import { describe, expect, it } from "vitest";
import { statesOf } from "./definition";
import * as edits from "./edits";
import {
  addressOf,
  allStateKeys,
  allStateNames,
  editScope,
  ownerOfScope,
  removeBranchFromLayout,
  renameInLayout,
  stateAt,
  stateKey,
} from "./scopes";
import type { Definition } from "./types";

const SPLIT = "/States/Each: order/ItemProcessor/States/Split";

function nested(): Definition {
  return {
    StartAt: "Each: order",
    States: {
      "Each: order": {
        Type: "Map",
        ItemProcessor: {
          StartAt: "Split",
          States: {
            Split: {
              Type: "Parallel",
              Branches: [
                {
                  StartAt: "Check",
                  States: {
                    Check: {
                      Type: "Choice",
                      Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Charge" }],
                      Default: "Charge",
                    },
                    Charge: {
                      Type: "Task",
                      Resource: "arn:aws:lambda:us-east-1:000000000000:function:echo",
                      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Charge" }],
                      End: true,
                    },
                  },
                },
                { StartAt: "Note", States: { Note: { Type: "Pass", End: true } } },
              ],
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
}

describe("state keys", () => {
  it("keys top-level states by name and inner ones by pointer, escaping / and ~", () => {
    expect(stateKey("", "Plain: name")).toBe("Plain: name");
    expect(stateKey("", "/odd")).toBe("/States/~1odd");
    expect(stateKey(SPLIT + "/Branches/0", "a/b~")).toBe(`${SPLIT}/Branches/0/States/a~1b~0`);
    expect(addressOf(`${SPLIT}/Branches/0/States/a~1b~0`)).toEqual({
      scope: `${SPLIT}/Branches/0`,
      name: "a/b~",
    });
    expect(addressOf("/States/~1odd")).toEqual({ scope: "", name: "/odd" });
  });

  it("lists every state at every depth, parents first", () => {
    expect(allStateKeys(nested())).toEqual([
      "Each: order",
      SPLIT,
      `${SPLIT}/Branches/0/States/Check`,
      `${SPLIT}/Branches/0/States/Charge`,
      `${SPLIT}/Branches/1/States/Note`,
    ]);
    expect(allStateNames(nested()).has("Note")).toBe(true);
  });

  it("finds the container a scope belongs to", () => {
    expect(ownerOfScope(`${SPLIT}/Branches/1`)).toBe(SPLIT);
    expect(ownerOfScope("/States/Each: order/ItemProcessor")).toBe("Each: order");
    expect(ownerOfScope("")).toBeNull();
  });

  it("gives a uniqueName that no state at any depth has", () => {
    expect(edits.uniqueName(nested(), "Note")).toBe("Note 2");
  });
});

describe("editing inside a container", () => {
  it("renames an inner state and rewires its Next, Default, Choice rules, Catch and StartAt", () => {
    const scope = `${SPLIT}/Branches/0`;
    const result = editScope(nested(), scope, (d) => edits.renameState(d, "Charge", "Charge card"));
    const check = stateAt(result, `${scope}/States/Check`);
    expect(check?.["Default"]).toBe("Charge card");
    expect(check?.["Choices"]).toEqual([
      { Variable: "$.ok", BooleanEquals: true, Next: "Charge card" },
    ]);
    expect(stateAt(result, `${scope}/States/Charge card`)?.["Catch"]).toEqual([
      { ErrorEquals: ["States.ALL"], Next: "Charge card" },
    ]);
    expect(stateAt(result, `${scope}/States/Charge`)).toBeNull();
    const renamedStart = editScope(nested(), scope, (d) => edits.renameState(d, "Check", "Look"));
    expect(stateAt(renamedStart, `${scope}/States/Look`)).not.toBeNull();
    expect((stateAt(renamedStart, SPLIT)?.["Branches"] as Definition[])[0]?.["StartAt"]).toBe(
      "Look",
    );
    // The rest of the machine is untouched.
    expect(statesOf(result)["Each: order"]?.["End"]).toBe(true);
  });

  it("adds and deletes inner states without touching the other scopes", () => {
    const scope = `${SPLIT}/Branches/1`;
    const added = editScope(nested(), scope, (d) => edits.addState(d, "Wait", "Pause").definition);
    expect(stateAt(added, `${scope}/States/Pause`)).toEqual({
      Type: "Wait",
      Seconds: 1,
      End: true,
    });
    const deleted = editScope(added, scope, (d) => edits.deleteState(d, "Note"));
    expect(stateAt(deleted, `${scope}/States/Note`)).toBeNull();
    expect(allStateKeys(deleted)).toContain(`${SPLIT}/Branches/0/States/Charge`);
  });

  it("tells what leads to an inner state before it is deleted", () => {
    const branch = (stateAt(nested(), SPLIT)?.["Branches"] as Definition[])[0] ?? {};
    expect(edits.referencesTo(branch, "Charge")).toEqual([
      'Rule 1 of "Check" (ok = true) leads to it.',
      '"Check" goes to it by default.',
    ]);
  });
});

describe("positions", () => {
  it("keeps a renamed state's place, and the places of everything inside it", () => {
    const positions = {
      "Each: order": { x: 1, y: 2 },
      [SPLIT]: { x: 3, y: 4 },
      [`${SPLIT}/Branches/1/States/Note`]: { x: 5, y: 6 },
      Other: { x: 7, y: 8 },
    };
    expect(renameInLayout(positions, "Each: order", "Each / item")).toEqual({
      "Each / item": { x: 1, y: 2 },
      "/States/Each ~1 item/ItemProcessor/States/Split": { x: 3, y: 4 },
      "/States/Each ~1 item/ItemProcessor/States/Split/Branches/1/States/Note": { x: 5, y: 6 },
      Other: { x: 7, y: 8 },
    });
  });

  it("moves later branches' places up when a branch is removed", () => {
    const positions = {
      [`${SPLIT}/Branches/0/States/A`]: { x: 1, y: 1 },
      [`${SPLIT}/Branches/1/States/B`]: { x: 2, y: 2 },
      [`${SPLIT}/Branches/2/States/C`]: { x: 3, y: 3 },
      [SPLIT]: { x: 4, y: 4 },
    };
    expect(removeBranchFromLayout(positions, SPLIT, 1)).toEqual({
      [`${SPLIT}/Branches/0/States/A`]: { x: 1, y: 1 },
      [`${SPLIT}/Branches/1/States/C`]: { x: 3, y: 3 },
      [SPLIT]: { x: 4, y: 4 },
    });
  });
});
