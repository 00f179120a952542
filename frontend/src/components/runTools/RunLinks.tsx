// The links between a run and its reruns: where it came from, and what was rerun from it.
import type { RunLinks as Links } from "../../runToolsApi";
import { useGraph } from "../../store";

export function RunLinks() {
  const execution = useGraph((s) => s.execution) as (Links & { id: string }) | null;
  if (!execution) return null;
  const reruns = execution.reruns ?? [];
  if (!execution.rerunOf && reruns.length === 0) return null;
  return (
    <div className="run-links" data-testid="run-links">
      {execution.rerunOf && (
        <span data-testid="rerun-of">
          Rerun from <strong>{execution.startAt}</strong> of{" "}
          <a href={`/executions/${execution.rerunOf.id}/`}>{execution.rerunOf.name}</a>
        </span>
      )}
      {reruns.length > 0 && (
        <span data-testid="reruns">
          Rerun{reruns.length === 1 ? "" : "s"}:{" "}
          {reruns.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ", "}
              <a href={`/executions/${r.id}/`}>{r.name}</a>
              <span className="muted"> from {r.startAt}</span>
            </span>
          ))}
        </span>
      )}
    </div>
  );
}
