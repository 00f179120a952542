// One entry of a state's list (a Choice rule, a retrier, a catcher): title, Remove, problems.
import type { ReactNode } from "react";
import type { Diagnostic } from "../asl/types";

export function ListEntry({
  title,
  onRemove,
  problems,
  testId,
  children,
}: {
  title: string;
  onRemove: () => void;
  problems: Diagnostic[];
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className={`choice-rule${problems.length ? " field-invalid" : ""}`} data-testid={testId}>
      <div className="choice-rule-head">
        <strong>{title}</strong>
        <button type="button" className="link" onClick={onRemove}>
          Remove
        </button>
      </div>
      {children}
      {problems.length > 0 && (
        <ul className="field-problems">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
