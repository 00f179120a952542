import { describe, expect, it } from "vitest";
import { diagnosticsUnder, groupDiagnostics, pointerTarget, statePointer } from "./pointer";

const diagnostic = (location: string) => ({ code: "C", message: `at ${location}`, location });

describe("pointerTarget", () => {
  it("maps a field pointer to its state and field", () => {
    expect(pointerTarget("/States/Approve/Next")).toEqual({ state: "Approve", field: "Next" });
  });

  it("unescapes ~1 and ~0 in state names", () => {
    expect(pointerTarget("/States/Yes~1No~0/Type")).toEqual({ state: "Yes/No~", field: "Type" });
  });

  it("maps an inner Map state's problem to the top-level Map", () => {
    expect(pointerTarget("/States/Ship/ItemProcessor/States/Label/Next")).toEqual({
      state: "Ship",
      field: "ItemProcessor",
    });
  });

  it("gives no state for machine-level pointers", () => {
    expect(pointerTarget("/StartAt")).toEqual({ state: null, field: null });
    expect(pointerTarget("")).toEqual({ state: null, field: null });
  });
});

describe("groupDiagnostics", () => {
  it("files problems under existing states and the rest as general", () => {
    const grouped = groupDiagnostics(
      [
        diagnostic("/States/A/Next"),
        diagnostic("/StartAt"),
        diagnostic("/States/Gone/Type"),
        diagnostic("/States/A"),
      ],
      ["A", "B"],
    );
    expect(Object.keys(grouped.byState)).toEqual(["A"]);
    expect(grouped.byState["A"]?.map((d) => d.location)).toEqual(["/States/A/Next", "/States/A"]);
    expect(grouped.general.map((d) => d.location)).toEqual(["/StartAt", "/States/Gone/Type"]);
  });
});

describe("statePointer and diagnosticsUnder", () => {
  it("builds an escaped pointer that round-trips through pointerTarget", () => {
    const pointer = statePointer("a/b", "Choices", 0);
    expect(pointer).toBe("/States/a~1b/Choices/0");
    expect(pointerTarget(pointer)).toEqual({ state: "a/b", field: "Choices" });
  });

  it("selects a rule's problems without those of a rule whose index starts the same", () => {
    const found = diagnosticsUnder(
      [
        diagnostic("/States/C/Choices/1/Next"),
        diagnostic("/States/C/Choices/10"),
        diagnostic("/States/C/Choices/1"),
      ],
      statePointer("C", "Choices", 1),
    );
    expect(found.map((d) => d.location)).toEqual([
      "/States/C/Choices/1/Next",
      "/States/C/Choices/1",
    ]);
  });
});

describe("groupDiagnostics at any depth", () => {
  const split = "/States/Each/ItemProcessor/States/Split";
  const keys = ["Each", split, `${split}/Branches/1/States/Note`];

  it("puts a problem on the innermost state drawn that it falls in", () => {
    const at = (location: string) => ({ code: "X", message: "bad", location });
    const grouped = groupDiagnostics(
      [
        at(`${split}/Branches/1/States/Note/Next`),
        at(`${split}/Branches/0/States/Gone/Next`),
        at("/States/Each/ItemsPath"),
        at("/StartAt"),
      ],
      keys,
    );
    expect(Object.keys(grouped.byState).sort()).toEqual(
      ["Each", split, `${split}/Branches/1/States/Note`].sort(),
    );
    // A state not drawn (here, not known) lends its problem to the container that holds it.
    expect(grouped.byState[split]?.[0]?.location).toBe(`${split}/Branches/0/States/Gone/Next`);
    expect(grouped.general.map((d) => d.location)).toEqual(["/StartAt"]);
  });

  it("builds the pointer of a field of an inner state from its key", () => {
    expect(statePointer(`${split}/Branches/1/States/Note`, "Catch", 0)).toBe(
      `${split}/Branches/1/States/Note/Catch/0`,
    );
  });
});
