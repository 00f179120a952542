import { pointerTarget } from "../asl/pointer";
import { useGraph } from "../store";

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
  const known = new Set(states.map((n) => n.id));
  return (
    <ul className="problems" data-testid="problems">
      {diagnostics.map((d, i) => {
        const { state, field } = pointerTarget(d.location ?? "");
        const clickable = state !== null && known.has(state);
        return (
          <li key={i}>
            <button
              type="button"
              className="problem"
              disabled={!clickable}
              onClick={() => clickable && select(state)}
            >
              <span className="problem-where">
                {state ?? "Machine"}
                {field ? ` · ${field}` : ""}
              </span>
              <span className="problem-message">{d.message}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
