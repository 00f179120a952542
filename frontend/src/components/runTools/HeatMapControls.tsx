// The heat map's switch, what it colours by, over how many runs, and its legend.
import { useEffect } from "react";
import { useGraph } from "../../store";
import { useRunTools, type HeatMetric } from "../../store/runTools";
import { HEAT_LEVELS } from "./heat";
import "./runTools.css";

const RUN_COUNTS = [10, 50, 100, 500];

export function HeatMapControls() {
  const on = useRunTools((s) => s.heatOn);
  const metric = useRunTools((s) => s.heatMetric);
  const last = useRunTools((s) => s.heatLast);
  const heat = useRunTools((s) => s.heat);
  const heatError = useRunTools((s) => s.heatError);
  const setHeat = useRunTools((s) => s.setHeat);
  const machine = useGraph((s) => s.machineName);
  // Another machine's figures never show on this one.
  useEffect(() => {
    if (on && machine) setHeat({ heatLast: last });
  }, [machine]);
  return (
    <div className="heat-controls" data-testid="heat-controls">
      <label className="heat-toggle">
        <input
          type="checkbox"
          checked={on}
          data-testid="heat-toggle"
          onChange={(e) => setHeat({ heatOn: e.target.checked })}
        />{" "}
        Heat map
      </label>
      {on && (
        <>
          <select
            aria-label="Colour the states by"
            value={metric}
            data-testid="heat-metric"
            onChange={(e) => setHeat({ heatMetric: e.target.value as HeatMetric })}
          >
            <option value="time">by time spent</option>
            <option value="failures">by failures</option>
          </select>
          <select
            aria-label="Over the last runs"
            value={last}
            data-testid="heat-last"
            onChange={(e) => setHeat({ heatLast: Number(e.target.value) })}
          >
            {RUN_COUNTS.map((n) => (
              <option key={n} value={n}>
                last {n} runs
              </option>
            ))}
          </select>
          <span className="heat-legend" data-testid="heat-legend">
            <span className="muted small">
              {heat ? `${heat.runs} finished run${heat.runs === 1 ? "" : "s"}` : "…"}
            </span>
            <span className="small">{metric === "time" ? "quick" : "never failed"}</span>
            {Array.from({ length: HEAT_LEVELS }, (_, level) => (
              <span key={level} className={`heat-swatch heat-level-${level}`} aria-hidden />
            ))}
            <span className="small">{metric === "time" ? "slowest" : "often failed"}</span>
          </span>
          {heatError && (
            <span className="field-error small" role="alert">
              {heatError}
            </span>
          )}
        </>
      )}
    </div>
  );
}
