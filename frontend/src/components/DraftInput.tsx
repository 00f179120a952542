// A text box that keeps a draft while the user types and commits on blur or Enter, so a key or
// a value is applied once, whole. A `validate` message keeps the draft uncommitted.
import { useEffect, useState, type InputHTMLAttributes } from "react";

export function DraftInput({
  value,
  onCommit,
  validate,
  testId,
  ...rest
}: {
  value: string;
  onCommit: (value: string) => void;
  validate?: (draft: string) => string | null;
  testId?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
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
  return (
    <span className="draft-input">
      <input
        type="text"
        {...rest}
        value={draft}
        data-testid={testId}
        aria-invalid={error !== null}
        title={error ?? rest.title}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
          if (e.key === "Escape") setDraft(value);
        }}
      />
      {error && <span className="field-error small">{error}</span>}
    </span>
  );
}
