// The form of an Approval step: what the approver reads, who may answer, how long they have,
// and where their answer goes. No JSON: the ASL (Parameters, ResultPath, TimeoutSeconds) is
// written by asl/approval.ts.
import { useId } from "react";
import { approvalSettings, withApprovalSettings, type ApprovalSettings } from "../../asl/approval";
import * as edits from "../../asl/edits";
import type { Definition, StateDefinition } from "../../asl/types";
import { SelectField, TextField } from "../fields";
import { ApproverGroupField } from "./ApproverGroupField";
import "./approvals.css";

const UNITS = [
  { value: "60", label: "minutes" },
  { value: "3600", label: "hours" },
  { value: "86400", label: "days" },
];
const WRITTEN_FIELDS = ["Parameters", "ResultPath", "TimeoutSeconds"] as const;

/** The largest unit that divides the timeout, so 86400 reads "1 days" rather than "1440 minutes". */
function splitTimeout(seconds: number): { amount: number; unit: number } {
  for (const unit of [86400, 3600, 60]) {
    if (seconds % unit === 0) return { amount: seconds / unit, unit };
  }
  return { amount: Math.max(1, Math.round(seconds / 60)), unit: 60 };
}

type Where = "beside" | "replace" | "drop";

function whereOf(resultPath: string | null): { where: Where; key: string } {
  if (resultPath === null) return { where: "drop", key: "approval" };
  if (resultPath === "$") return { where: "replace", key: "approval" };
  return { where: "beside", key: resultPath.replace(/^\$\.?/, "") };
}

export function ApprovalForm({
  name,
  state,
  edit,
}: {
  name: string;
  state: StateDefinition;
  edit: (change: (d: Definition) => Definition) => void;
}) {
  const settings = approvalSettings(state);
  const timeoutId = useId();
  const change = (partial: Partial<ApprovalSettings>): void => {
    const next = withApprovalSettings(state, partial);
    edit((d) =>
      WRITTEN_FIELDS.reduce<Definition>(
        (acc, field) => edits.setField(acc, name, field, next[field]),
        d,
      ),
    );
  };
  const timeout = settings.timeoutSeconds === null ? null : splitTimeout(settings.timeoutSeconds);
  const { where, key } = whereOf(settings.resultPath);

  return (
    <fieldset className="approval-form" data-testid="approval-form">
      <legend>Approval</legend>
      <p className="field-hint">The run waits here until a person approves or rejects.</p>
      <TextField
        label="What the approver is asked"
        value={settings.prompt}
        multiline
        testId="approval-prompt"
        onCommit={(prompt) => change({ prompt })}
      />
      <ApproverGroupField
        value={settings.approverGroup}
        onChange={(approverGroup) => change({ approverGroup })}
      />
      <div className="field">
        <label htmlFor={timeoutId}>Time to answer</label>
        <div className="approval-timeout">
          <input
            id={timeoutId}
            type="number"
            min={1}
            step={1}
            data-testid="approval-timeout"
            value={timeout?.amount ?? ""}
            placeholder="No limit"
            onChange={(e) => {
              const amount = Number(e.target.value);
              if (e.target.value === "") change({ timeoutSeconds: null });
              else if (Number.isInteger(amount) && amount > 0)
                change({ timeoutSeconds: amount * (timeout?.unit ?? 3600) });
            }}
          />
          <select
            aria-label="Unit of the time to answer"
            data-testid="approval-timeout-unit"
            value={String(timeout?.unit ?? 3600)}
            onChange={(e) =>
              change({ timeoutSeconds: (timeout?.amount ?? 1) * Number(e.target.value) })
            }
          >
            {UNITS.map((unit) => (
              <option key={unit.value} value={unit.value}>
                {unit.label}
              </option>
            ))}
          </select>
        </div>
        <p className="field-hint">
          Unanswered by then, the step fails with a timeout (a Catch can send it elsewhere).
        </p>
      </div>
      <SelectField
        label="The answer"
        value={where}
        testId="approval-where"
        options={[
          { value: "beside", label: "Add it to the data, keeping the data" },
          { value: "replace", label: "Replace the data with it" },
          { value: "drop", label: "Drop it, keeping the data as it was" },
        ]}
        onChange={(value) =>
          change({
            resultPath:
              value === "drop" ? null : value === "replace" ? "$" : `$.${key || "approval"}`,
          })
        }
      />
      {where === "beside" && (
        <TextField
          label="Under the name"
          value={key}
          testId="approval-result-key"
          validate={(text) =>
            /^[A-Za-z_][A-Za-z0-9_]*$/.test(text.trim())
              ? null
              : "Use letters, digits and _ only, starting with a letter."
          }
          hint={`Later steps find the answer (approved, comment, by, at) under “${key}”.`}
          onCommit={(text) => change({ resultPath: `$.${text.trim()}` })}
        />
      )}
    </fieldset>
  );
}
