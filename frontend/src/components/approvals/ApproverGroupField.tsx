// "Who may answer": a list of the groups this editor may see (approver-groups), anyone who
// operates the workflow, and a group typed by name for one the list cannot show.
import { useEffect, useId, useState } from "react";
import { approvalsApi, type ApproverGroup } from "../../approvalsApi";
import { ApiError } from "../../api";
import { useGraph } from "../../store";
import { TextField } from "../fields";
import { ANOTHER, ANYONE, groupOptions } from "./approverGroups";

const GROUP_NAME = /^[\w.@+\- ]{1,150}$/; // Django's Group.name: at most 150 characters

function useApproverGroups(): { groups: ApproverGroup[]; error: string | null } {
  const machine = useGraph((s) => s.machineName);
  const [found, setFound] = useState<{ groups: ApproverGroup[]; error: string | null }>({
    groups: [],
    error: null,
  });
  useEffect(() => {
    if (!machine) return;
    let current = true;
    approvalsApi.approverGroups(machine).then(
      (answer) => current && setFound({ groups: answer.groups, error: null }),
      (error: unknown) =>
        current &&
        setFound({ groups: [], error: error instanceof ApiError ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [machine]);
  return found;
}

export function ApproverGroupField({
  value,
  onChange,
}: {
  value: string;
  onChange: (group: string) => void;
}) {
  const id = useId();
  const { groups, error } = useApproverGroups();
  const [typing, setTyping] = useState(false);
  const options = groupOptions(groups, value);
  const hint = error
    ? `The groups could not be listed: ${error}`
    : value && !groups.some((g) => g.name === value)
      ? `“${value}” is kept as it is: it is not among the groups you may see here.`
      : "Only members of the group may answer, and only if they may operate this workflow.";
  return (
    <div className="field">
      <label htmlFor={id}>Who may answer (a group)</label>
      <select
        id={id}
        data-testid="approval-group"
        value={typing ? ANOTHER : value}
        onChange={(e) => {
          const chosen = e.target.value;
          setTyping(chosen === ANOTHER);
          if (chosen !== ANOTHER) onChange(chosen === ANYONE ? "" : chosen);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p className="field-hint" data-testid="approval-group-hint">
        {hint}
      </p>
      {typing && (
        <TextField
          label="The group's name"
          value=""
          testId="approval-group-name"
          placeholder="finance"
          validate={(text) =>
            GROUP_NAME.test(text.trim())
              ? null
              : "A group name has 1 to 150 letters, digits, spaces and @ . + - _ only."
          }
          onCommit={(text) => {
            setTyping(false);
            onChange(text.trim());
          }}
        />
      )}
    </div>
  );
}
