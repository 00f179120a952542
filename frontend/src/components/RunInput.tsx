// The input of a run: a form built from the machine's sample input (a field per key, typed),
// or JSON for those who want it. The form comes first, so nobody meets JSON unasked; the run
// panel keeps the input as JSON text either way.
import { useEffect, useState } from "react";
import type { JsonValue } from "../asl/types";
import { useGraph } from "../store";
import { PastRunPicker } from "./PastRunPicker";
import { useSample, useSampleData } from "./sampleData";
import { ValueEditor } from "./ValueEditor";

const PLAIN = ["object", "list", "text", "number", "boolean", "null"] as const;

function parsed(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

export function RunInput({
  text,
  onText,
  onRun,
  invalid,
}: {
  text: string;
  onText: (text: string) => void;
  onRun: () => void;
  invalid: boolean;
}) {
  const machine = useGraph((s) => s.machineName);
  const sample = useSample(machine);
  const setSample = useSampleData((s) => s.setSample);
  const [asForm, setAsForm] = useState(true);
  const [seeded, setSeeded] = useState(false);
  // The first time a sample is known, the form starts from it.
  useEffect(() => {
    if (sample !== undefined && !seeded) {
      setSeeded(true);
      setAsForm(true);
      if (text.trim() === "{}" || text.trim() === "") onText(JSON.stringify(sample, null, 2));
    }
  }, [sample, seeded, text, onText]);
  const value = parsed(text);
  const fromRun = (
    <PastRunPicker
      machine={machine}
      onPick={(input) => onText(JSON.stringify(input, null, 2))}
      testId="run-input-from-run"
    />
  );

  if (asForm && value !== undefined) {
    return (
      <div className="run-input-form" data-testid="run-input-form">
        <div className="value-field-head">
          <span className="label">Input</span>
          {fromRun}
          {sample !== undefined && (
            <button
              type="button"
              className="link small"
              data-testid="run-input-from-sample"
              onClick={() => onText(JSON.stringify(sample, null, 2))}
            >
              Start again from the sample
            </button>
          )}
          <button
            type="button"
            className="link small"
            data-testid="run-input-as-json"
            onClick={() => setAsForm(false)}
          >
            Type JSON instead
          </button>
        </div>
        <ValueEditor
          value={value}
          mode="literal"
          rootKinds={[...PLAIN]}
          switchable={false}
          onChange={(v) => onText(JSON.stringify(v ?? {}, null, 2))}
        />
        <button
          type="button"
          className="link small keep-sample"
          data-testid="keep-as-sample"
          onClick={() => setSample(machine, value)}
        >
          Keep this input as the machine’s sample
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="value-field-head">
        <label htmlFor="run-input">Input (JSON)</label>
        {fromRun}
        {value !== undefined && (
          <button
            type="button"
            className="link small"
            data-testid="run-input-as-form"
            onClick={() => setAsForm(true)}
          >
            Fill in a form instead
          </button>
        )}
      </div>
      {value !== undefined && (
        <button
          type="button"
          className="link small keep-sample"
          data-testid="keep-as-sample"
          onClick={() => {
            setSample(machine, value);
            setAsForm(true);
          }}
        >
          Keep this input as the machine’s sample
        </button>
      )}
      <textarea
        id="run-input"
        data-testid="run-input"
        rows={6}
        value={text}
        spellCheck={false}
        aria-invalid={invalid}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) onRun();
        }}
      />
      <p className="field-hint">Ctrl+Enter runs.</p>
    </>
  );
}
