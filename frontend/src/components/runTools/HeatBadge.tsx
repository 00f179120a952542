// A state's figures on the heat map, drawn on its card: time (p50, p95), runs and failures.
import { useRunTools } from "../../store/runTools";
import { duration, heatLevel, percent } from "./heat";

export function HeatBadge({ name }: { name: string }) {
  const on = useRunTools((s) => s.heatOn);
  const heat = useRunTools((s) => s.heat);
  const metric = useRunTools((s) => s.heatMetric);
  if (!on || !heat) return null;
  const state = heat.states[name];
  if (!state) {
    return (
      <div className="heat-badge heat-level-none" data-testid={`heat-${name}`}>
        Not run in these {heat.runs} runs
      </div>
    );
  }
  const level = heatLevel(heat, state, metric);
  const text =
    metric === "failures"
      ? `${state.failed} of ${state.count} failed (${percent(state.failureRate)})`
      : `p50 ${duration(state.p50Ms)} · p95 ${duration(state.p95Ms)}`;
  return (
    <div
      className={`heat-badge heat-level-${level}`}
      data-testid={`heat-${name}`}
      data-heat-level={level}
      title={`${state.count} entries over ${heat.runs} runs · ${state.failed} failed (${percent(
        state.failureRate,
      )}) · median ${duration(state.p50Ms)} · p95 ${duration(state.p95Ms)}`}
    >
      {text}
    </div>
  );
}
