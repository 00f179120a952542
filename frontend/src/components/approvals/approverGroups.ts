// What the Approval form's "who may answer" list offers: anyone who may operate (blank), the
// groups the server names, and the step's own group even when the server does not name it
// (typed by someone else, imported, or a group this user may not see): it is never dropped.
import type { ApproverGroup } from "../../approvalsApi";

export const ANYONE = "";
/** The option that opens a text box for a group by name. */
export const ANOTHER = "\u0000another";

export interface GroupOption {
  value: string;
  label: string;
}

function describe(group: ApproverGroup): string {
  const notes = [
    ...(group.member ? ["your group"] : []),
    ...(group.role ? [`${group.role} role`] : []),
  ];
  return notes.length ? `${group.name} (${notes.join(", ")})` : group.name;
}

export function groupOptions(groups: ApproverGroup[], current: string): GroupOption[] {
  const listed = groups.some((group) => group.name === current);
  return [
    { value: ANYONE, label: "Anyone who may operate this workflow" },
    ...(current && !listed ? [{ value: current, label: `${current} (not in your list)` }] : []),
    ...groups.map((group) => ({ value: group.name, label: describe(group) })),
    { value: ANOTHER, label: "Another group, by name…" },
  ];
}
