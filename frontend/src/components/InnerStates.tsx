// The states inside a Map or Parallel, each coloured by how its runs went in the run shown,
// with running, succeeded and failed counts over all iterations and branches.
import { useDeferredValue, useMemo } from "react";
import { innerStates, statesOf, typeOf } from "../asl/definition";
import { countsStatus, innerStateCounts } from "../asl/innerRuns";
import { isFinished } from "../asl/runStatus";
import { useGraph } from "../store";
import { STATUS_LABELS } from "./Legend";

export function InnerStates({ state }: { state: string }) {
  const definition = useGraph((s) => s.definition);
  // A big Map's events come fast; recounting may lag behind them rather than hold them up.
  const events = useDeferredValue(useGraph((s) => s.events));
  const finished = useGraph((s) => isFinished(s.execution?.status ?? null));
  const inner = innerStates(statesOf(definition)[state] ?? {});
  const counts = useMemo(
    () => innerStateCounts(events, state, finished),
    [events, state, finished],
  );
  if (inner === null) return null;
  const names = Object.keys(inner);
  return (
    <section className="inner-states" data-testid="inner-states">
      <h3>Inner states</h3>
      {names.length === 0 && <p className="muted small">None yet.</p>}
      <ul>
        {names.map((name) => {
          const tally = counts[name];
          const status = countsStatus(tally);
          return (
            <li
              key={name}
              className={`inner-state-row status-${status}`}
              data-testid={`inner-${name}`}
              data-status={status}
              title={STATUS_LABELS[status]}
            >
              <span className="type-badge">{typeOf(inner[name] ?? {})}</span>
              <span className="inner-state-name">{name}</span>
              {tally && (
                <span className="inner-counts" data-testid={`inner-counts-${name}`}>
                  {tally.running > 0 && (
                    <span className="count-running">{tally.running} running</span>
                  )}
                  {tally.succeeded > 0 && (
                    <span className="count-succeeded">{tally.succeeded} succeeded</span>
                  )}
                  {tally.failed > 0 && <span className="count-failed">{tally.failed} failed</span>}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
