import { describe, expect, it } from "vitest";
import { ANOTHER, ANYONE, groupOptions } from "./approverGroups";

const GROUPS = [
  { name: "finance", member: false, role: "operator" },
  { name: "ops", member: true, role: null },
  { name: "leads", member: true, role: "editor" },
];

describe("the approver group options", () => {
  it("offers anyone, each group with why it is there, and a group by name", () => {
    expect(groupOptions(GROUPS, "finance")).toEqual([
      { value: ANYONE, label: "Anyone who may operate this workflow" },
      { value: "finance", label: "finance (operator role)" },
      { value: "ops", label: "ops (your group)" },
      { value: "leads", label: "leads (your group, editor role)" },
      { value: ANOTHER, label: "Another group, by name…" },
    ]);
  });

  it("keeps a group the list does not name, right after anyone", () => {
    const options = groupOptions(GROUPS, "board");
    expect(options[1]).toEqual({ value: "board", label: "board (not in your list)" });
    expect(options.filter((o) => o.value === "board")).toHaveLength(1);
    expect(groupOptions([], "").map((o) => o.value)).toEqual([ANYONE, ANOTHER]);
  });
});
