import { segmentsOf, addressOf, keyPointer } from "../asl/scopes";
import { stateKeyAt } from "../asl/pointer";
import { isWarning } from "../asl/types";
import { useGraph } from "../store";

/** The field a pointer names inside the state it falls in, e.g. "Next" or "Choices". */
function fieldAt(location: string, key: string | null): string | null {
  if (key === null) return null;
  return segmentsOf(location).slice(segmentsOf(keyPointer(key)).length)[0] ?? null;
}

export function ProblemsList() {
  const diagnostics = useGraph((s) => s.diagnostics);
  const select = useGraph((s) => s.select);
  const states = useGraph((s) => s.nodes);
  if (diagnostics.length === 0) {
    return (
      <p className="muted problems-empty" data-testid="problems-empty">
        No problems found.
      </p>
    );
  }
  // Any state drawn, at any depth; a problem inside a folded container points at it.
  const known = new Set(states.filter((n) => n.type !== "lane").map((n) => n.id));
  return (
    <ul className="problems" data-testid="problems">
      {diagnostics.map((d, i) => {
        const location = d.location ?? "";
        const key = stateKeyAt(location, known);
        const field = fieldAt(location, key);
        return (
          <li key={i}>
            <button
              type="button"
              className={`problem${isWarning(d) ? " warning" : ""}`}
              data-severity={d.severity ?? "error"}
              disabled={key === null}
              onClick={() => key !== null && select(key)}
            >
              <span className="problem-where">
                {key === null ? "Machine" : addressOf(key).name}
                {field ? ` · ${field}` : ""}
                {isWarning(d) ? " · saves, but fails when it runs" : ""}
              </span>
              <span className="problem-message">{d.message}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
