// How hot a state is on the heat map: by its time (p95 against the slowest state's) or by how
// often it failed, on a scale of five.
import type { HeatMap, StateHeat } from "../../runToolsApi";
import type { HeatMetric } from "../../store/runTools";

export const HEAT_LEVELS = 5;

export function heatLevel(heat: HeatMap, state: StateHeat, metric: HeatMetric): number {
  if (metric === "failures") {
    if (state.failed === 0) return 0;
    return Math.min(HEAT_LEVELS - 1, 1 + Math.floor(state.failureRate * (HEAT_LEVELS - 1)));
  }
  const slowest = Math.max(0, ...Object.values(heat.states).map((s) => s.p95Ms ?? 0));
  if (!slowest || state.p95Ms === null) return 0;
  return Math.min(HEAT_LEVELS - 1, Math.floor((state.p95Ms / slowest) * (HEAT_LEVELS - 1) + 0.5));
}

export function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}
