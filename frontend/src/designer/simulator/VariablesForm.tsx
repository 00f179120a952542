// The simulator's Variables: the workflow variables in scope when the state starts, given as
// name and value rows (or as one JSON object), prefilled with what the states before it would
// assign on a run from the machine's sample input (data-shapes/ carries them).
import { useEffect, useState } from "react";
import type { JsonValue } from "../../asl/types";
import { useSampleData } from "../../components/sampleData";
import { rowsOf, useSimulator, variablesOf, type VariableRow } from "./simulatorStore";

function RawJson({ rows, onRows }: { rows: VariableRow[]; onRows(rows: VariableRow[]): void }) {
  const [text, setText] = useState(() => JSON.stringify(variablesOf(rows), null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      <textarea
        data-testid="sim-variables-json"
        rows={4}
        value={text}
        spellCheck={false}
        aria-invalid={problem !== null}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const value = JSON.parse(e.target.value) as JsonValue;
            if (!value || typeof value !== "object" || Array.isArray(value))
              throw new Error("give an object of names and values");
            setProblem(null);
            onRows(rowsOf(value));
          } catch (error) {
            setProblem(error instanceof Error ? error.message : String(error));
          }
        }}
      />
      {problem && <p className="field-error small">Not used yet: {problem}</p>}
    </>
  );
}

export function VariablesForm({ stateKey }: { stateKey: string | null }) {
  const rows = useSimulator((s) => s.variableRows);
  const variablesFor = useSimulator((s) => s.variablesFor);
  const setVariables = useSimulator((s) => s.setVariables);
  const scoped = useSampleData((s) => (stateKey ? s.scopedVariables[stateKey] : undefined));
  const [raw, setRaw] = useState(false);

  // A state picked anew starts with what a run from the sample would have assigned before it;
  // a step on from the last state keeps what that state left (it sets variablesFor itself).
  useEffect(() => {
    if (stateKey && variablesFor !== stateKey && scoped) setVariables(rowsOf(scoped), stateKey);
  }, [stateKey, variablesFor, scoped, setVariables]);

  const change = (next: VariableRow[]) => setVariables(next, stateKey);
  const edit = (i: number, part: Partial<VariableRow>) =>
    change(rows.map((row, j) => (j === i ? { ...row, ...part } : row)));

  return (
    <fieldset className="sim-variables" data-testid="sim-variables">
      <legend>Variables in scope</legend>
      <div className="sim-variables-tools small">
        {scoped && (
          <button
            type="button"
            className="link small"
            data-testid="sim-variables-from-sample"
            onClick={() => change(rowsOf(scoped))}
          >
            Use what the states before assign
          </button>
        )}
        <button
          type="button"
          className="link small"
          data-testid="sim-variables-raw"
          onClick={() => setRaw(!raw)}
        >
          {raw ? "Edit as a list" : "Edit as JSON"}
        </button>
      </div>
      {raw ? (
        <RawJson key={variablesFor ?? ""} rows={rows} onRows={change} />
      ) : (
        <>
          {rows.length === 0 && (
            <p className="small muted" data-testid="sim-variables-none">
              None. Add the ones this state reads as $name.
            </p>
          )}
          {rows.map((row, i) => (
            <div className="sim-variable" key={i} data-testid="sim-variable">
              <span className="sim-variable-dollar">$</span>
              <input
                aria-label="Variable name"
                data-testid="sim-variable-name"
                value={row.name}
                placeholder="name"
                onChange={(e) => edit(i, { name: e.target.value })}
              />
              <input
                aria-label={`Value of $${row.name}`}
                data-testid="sim-variable-value"
                value={row.text}
                placeholder='42, "text" or {"a": 1}'
                onChange={(e) => edit(i, { text: e.target.value })}
              />
              <button
                type="button"
                className="link small"
                aria-label={`Remove $${row.name}`}
                data-testid="sim-variable-remove"
                onClick={() => change(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            className="link small"
            data-testid="sim-variable-add"
            onClick={() => change([...rows, { name: "", text: "" }])}
          >
            + Add a variable
          </button>
          {rows.length > 0 && (
            <p className="small muted sim-variables-hint">
              A value is read as JSON; anything else is taken as text.
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/** The variables after the state: each one, marked when the state's Assign set or changed it. */
export function VariablesAfter({
  before,
  after,
}: {
  before: Record<string, JsonValue>;
  after: Record<string, JsonValue>;
}) {
  const names = Object.keys(after);
  if (names.length === 0) return null;
  return (
    <div className="sim-variables-after" data-testid="sim-variables-after">
      <h4>Variables after this state</h4>
      <dl>
        {names.map((name) => {
          const changed = JSON.stringify(before[name]) !== JSON.stringify(after[name]);
          return (
            <div key={name} data-testid="sim-variable-after" data-changed={changed}>
              <dt>
                <span data-testid="sim-variable-after-name">${name}</span>
                {changed && (
                  <span className="sim-variable-new" data-testid="sim-variable-after-tag">
                    {name in before ? "changed" : "new"}
                  </span>
                )}
              </dt>
              <dd>
                <code>{JSON.stringify(after[name])}</code>
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}
