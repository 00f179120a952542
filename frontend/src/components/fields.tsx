// Form inputs that keep a draft while the user types and commit on blur or Enter, so a rename
// or a JSON value is applied once, whole, rather than keystroke by keystroke.
import { useEffect, useId, useState, type ReactNode } from "react";
import { isWarning, type Diagnostic } from "../asl/types";

interface FieldShell {
  label: string;
  problems?: Diagnostic[];
  hint?: ReactNode;
  testId?: string;
}

function Problems({ problems }: { problems: Diagnostic[] | undefined }) {
  if (!problems?.length) return null;
  return (
    <ul className="field-problems">
      {problems.map((p, i) => (
        <li key={i} className={isWarning(p) ? "warning" : undefined}>
          {isWarning(p) && <strong>Fails when it runs: </strong>}
          {p.message}
        </li>
      ))}
    </ul>
  );
}

export function TextField({
  label,
  value,
  onCommit,
  problems,
  hint,
  testId,
  multiline = false,
  placeholder,
  validate,
}: FieldShell & {
  value: string;
  onCommit: (value: string) => void;
  multiline?: boolean;
  placeholder?: string;
  /** Returns a message when the draft cannot be committed. */
  validate?: (draft: string) => string | null;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value);
    setError(null);
  }, [value]);

  const commit = (): void => {
    if (draft === value) return;
    const message = validate?.(draft) ?? null;
    setError(message);
    if (message === null) onCommit(draft);
  };

  const common = {
    id,
    value: draft,
    placeholder,
    "data-testid": testId,
    "aria-invalid": error !== null || Boolean(problems?.length),
    onBlur: commit,
  };
  return (
    <div className={`field${problems?.length || error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          {...common}
          rows={4}
          onChange={(e) => setDraft(e.target.value)}
          spellCheck={false}
        />
      ) : (
        <input
          {...common}
          type="text"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") commit();
            if (e.key === "Escape") setDraft(value);
          }}
        />
      )}
      {hint && <p className="field-hint">{hint}</p>}
      {error && <p className="field-error">{error}</p>}
      <Problems problems={problems} />
    </div>
  );
}

export function SelectField({
  label,
  value,
  options,
  onChange,
  problems,
  hint,
  testId,
}: FieldShell & {
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className={`field${problems?.length ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <p className="field-hint">{hint}</p>}
      <Problems problems={problems} />
    </div>
  );
}
