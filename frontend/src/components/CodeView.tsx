import { useGraph } from "../store";

/** The ASL as text; typing here redraws the canvas as soon as the JSON parses. */
export function CodeView() {
  const codeText = useGraph((s) => s.codeText);
  const codeError = useGraph((s) => s.codeError);
  const setCodeText = useGraph((s) => s.setCodeText);
  return (
    <div className="code-view">
      <textarea
        data-testid="code-view"
        aria-label="Definition (Amazon States Language JSON)"
        value={codeText}
        spellCheck={false}
        wrap="off"
        aria-invalid={codeError !== null}
        onChange={(e) => setCodeText(e.target.value)}
      />
      {codeError && (
        <p className="field-error" data-testid="code-error">
          {codeError}
        </p>
      )}
    </div>
  );
}
