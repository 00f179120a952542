// Asks before a change that would cut something, such as deleting a state others lead to.
import { useEffect, useRef } from "react";
import { useGraph } from "../store";

export function ConfirmDialog() {
  const confirmation = useGraph((s) => s.confirmation);
  const answer = useGraph((s) => s.answerConfirmation);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!confirmation) return;
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") answer(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [confirmation, answer]);
  if (!confirmation) return null;
  return (
    <div className="dialog-backdrop" role="presentation">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-question"
        data-testid="confirm-dialog"
      >
        <p id="confirm-question">
          <strong>{confirmation.question}</strong>
        </p>
        <ul data-testid="confirm-details">
          {confirmation.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button
            type="button"
            className="secondary"
            ref={cancelRef}
            data-testid="confirm-cancel"
            onClick={() => answer(false)}
          >
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            data-testid="confirm-ok"
            onClick={() => answer(true)}
          >
            {confirmation.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
