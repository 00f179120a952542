// The Simulate tab: one state of the draft run on its own (REST TestState), its data shown
// step by step, then a step on to the next state with the output as its input, so a person
// walks a path through the machine without starting a run.
import { useEffect, useRef } from "react";
import { typeOf } from "../../asl/definition";
import { addressOf, allStateKeys, stateAt } from "../../asl/scopes";
import type { JsonValue } from "../../asl/types";
import { Rule } from "../../components/ChoiceTracePanel";
import { JsonView } from "../../components/JsonView";
import { PastRunPicker } from "../../components/PastRunPicker";
import { useSample, useSampleData } from "../../components/sampleData";
import { ValueEditor } from "../../components/ValueEditor";
import { useGraph } from "../../store";
import { flowSteps, isJsonata, type FlowStep } from "./flowSteps";
import { needsMock, takesMock, useSimulator, type Walked } from "./simulatorStore";
import { VariablesAfter, VariablesForm } from "./VariablesForm";
import "./simulator.css";

const PLAIN = ["object", "list", "text", "number", "boolean", "null"] as const;

// The output is shown even when nothing changed it: it is what the next state gets.
const FINAL = new Set(["outputPath", "output"]);

const STATUS_WORDS: Record<string, string> = {
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CAUGHT_ERROR: "Failed, and the error was caught",
  RETRIABLE: "Failed, and would be retried",
};

function Step({ step, index }: { step: FlowStep; index: number }) {
  return (
    <li
      className={`flow-step${step.unchanged ? " flow-step-unchanged" : ""}`}
      data-testid={`flow-${step.id}`}
    >
      <div className="flow-step-head">
        <span className="flow-step-number">{index + 1}</span>
        <strong>{step.title}</strong>
        {step.expression !== null && <code className="flow-expression">{step.expression}</code>}
      </div>
      <p className="flow-note small muted">{step.note}</p>
      {step.value === undefined ? (
        step.id !== "assign" && <p className="small muted">Not reached.</p>
      ) : step.unchanged && index > 0 && !FINAL.has(step.id) ? (
        <p className="small muted" data-testid="flow-unchanged">
          Unchanged.
        </p>
      ) : (
        <JsonView value={step.value} testId={`flow-value-${step.id}`} />
      )}
    </li>
  );
}

function Answer({ walked }: { walked: Walked }) {
  const definition = useGraph((s) => s.definition);
  const step = useSimulator((s) => s.step);
  const running = useSimulator((s) => s.running);
  const state = stateAt(definition, walked.key) ?? {};
  const type = typeOf(state);
  const { answer } = walked;
  const steps = flowSteps(state, type, isJsonata(state, definition["QueryLanguage"]), answer);
  const trace = answer.choiceTrace;
  // A new answer is what the person asked for: it comes into view, above the form.
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "start" });
  }, [walked]);
  const ended = answer.status === "SUCCEEDED" && !answer.nextState;
  return (
    <section ref={ref} className="sim-answer" data-testid="sim-answer" data-status={answer.status}>
      <h3>
        {walked.name}:{" "}
        <span data-testid="sim-status">{STATUS_WORDS[answer.status] ?? answer.status}</span>
      </h3>
      {answer.error && (
        <p className="field-error" data-testid="sim-error">
          {answer.error}
          {answer.cause ? `: ${answer.cause}` : ""}
        </p>
      )}
      <ol className="flow-steps">
        {steps.map((s, i) => (
          <Step key={s.id} step={s} index={i} />
        ))}
      </ol>
      {answer.inspectionData?.variables && (
        <VariablesAfter before={walked.variables} after={answer.inspectionData.variables} />
      )}
      {trace && (
        <div className="choice-trace sim-choice" data-testid="sim-choice">
          <p className="small">
            {trace.matched !== null
              ? `Rule ${trace.matched + 1} matched`
              : "No rule matched, so the default was taken"}
            .
          </p>
          <ol>
            {trace.rules.map((rule, i) => (
              <Rule key={i} rule={rule} top />
            ))}
          </ol>
        </div>
      )}
      <div className="sim-next" data-testid="sim-next">
        {answer.nextState ? (
          <>
            <span>
              Next state: <strong data-testid="sim-next-state">{answer.nextState}</strong>
            </span>
            <button
              type="button"
              className="primary small"
              data-testid="sim-step"
              disabled={running}
              onClick={() => void step()}
            >
              Step to {answer.nextState} →
            </button>
          </>
        ) : ended ? (
          <span data-testid="sim-end">The run would end here, with this output.</span>
        ) : (
          <span>The run would stop here.</span>
        )}
      </div>
    </section>
  );
}

function MockForm({ type }: { type: string }) {
  const { mockKind, mockResult, mockError, mockCause, setMock, key } = useSimulator();
  const definition = useGraph((s) => s.definition);
  const mustMock = needsMock(key ? stateAt(definition, key) : null);
  return (
    <fieldset className="sim-mock" data-testid="sim-mock">
      <legend>What the {type === "Task" ? "task" : `${type}'s inner runs`} gives back</legend>
      <div className="sim-mock-kinds" role="radiogroup">
        {(
          [
            ["result", "A result"],
            ["error", "An error"],
            ...(mustMock || type !== "Task" ? [] : [["none", "Call the task for real"]]),
          ] as [typeof mockKind, string][]
        ).map(([kind, label]) => (
          <label key={kind}>
            <input
              type="radio"
              name="sim-mock-kind"
              data-testid={`sim-mock-${kind}`}
              checked={mockKind === kind}
              onChange={() => setMock({ mockKind: kind })}
            />
            {label}
          </label>
        ))}
      </div>
      {mockKind === "result" && (
        <ValueEditor
          value={mockResult}
          mode="literal"
          rootKinds={[...PLAIN]}
          testId="sim-mock-result"
          onChange={(value) => setMock({ mockResult: value ?? {} })}
        />
      )}
      {mockKind === "error" && (
        <div className="sim-mock-error">
          <label>
            Error
            <input
              data-testid="sim-mock-error-name"
              value={mockError}
              placeholder="States.Timeout"
              onChange={(e) => setMock({ mockError: e.target.value })}
            />
          </label>
          <label>
            Cause
            <input
              data-testid="sim-mock-error-cause"
              value={mockCause}
              placeholder="What went wrong"
              onChange={(e) => setMock({ mockCause: e.target.value })}
            />
          </label>
        </div>
      )}
    </fieldset>
  );
}

function parsedInput(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

export function SimulatorPanel() {
  const machine = useGraph((s) => s.machineName);
  const definition = useGraph((s) => s.definition);
  const selected = useGraph((s) => s.selected);
  const sample = useSample(machine);
  const shapes = useSampleData((s) => s.shapes);
  const loadShapes = useSampleData((s) => s.loadShapes);
  const { key, inputText, running, error, walked, pick, setInput, simulate, startOver } =
    useSimulator();

  const keys = allStateKeys(definition);
  const start = typeof definition["StartAt"] === "string" ? definition["StartAt"] : null;
  // The state picked on the canvas; else the one already chosen; else where a run starts.
  useEffect(() => {
    if (selected && keys.includes(selected)) pick(selected);
    else if (!key || !keys.includes(key))
      pick(start && keys.includes(start) ? start : (keys[0] ?? null));
  }, [selected, keys.join("\u0000")]);

  useEffect(() => {
    void loadShapes(machine, definition);
  }, [machine, definition, sample, loadShapes]);

  const state = key ? stateAt(definition, key) : null;
  const type = state ? typeOf(state) : "";
  // What this state would get on a run from the sample, when the server could work it out.
  const suggested: JsonValue | undefined = key ? (key === start ? sample : shapes[key]) : undefined;
  const input = parsedInput(inputText);
  const last = walked[walked.length - 1];

  return (
    <div className="simulator-panel" data-testid="simulator">
      <p className="field-hint">
        Runs one state of your draft on its own, as TestState does: nothing is saved or started.
      </p>
      <label htmlFor="sim-state">State</label>
      <select
        id="sim-state"
        data-testid="sim-state"
        value={key ?? ""}
        onChange={(e) => pick(e.target.value || null)}
      >
        {keys.map((k) => (
          <option key={k} value={k}>
            {addressOf(k).name} ({typeOf(stateAt(definition, k) ?? {})})
          </option>
        ))}
      </select>

      <div className="value-field-head sim-input-head">
        <span className="label">Input</span>
        {key && (
          <PastRunPicker
            machine={machine}
            stateKey={key}
            onPick={(value) => setInput(JSON.stringify(value, null, 2))}
            testId="sim-input-from-run"
          />
        )}
        {suggested !== undefined && (
          <button
            type="button"
            className="link small"
            data-testid="sim-input-from-sample"
            onClick={() => setInput(JSON.stringify(suggested, null, 2))}
          >
            {key === start
              ? "Use the machine's sample input"
              : "Use what a run from the sample gives it"}
          </button>
        )}
      </div>
      {input !== undefined ? (
        <ValueEditor
          value={input}
          mode="literal"
          rootKinds={[...PLAIN]}
          testId="sim-input"
          onChange={(value) => setInput(JSON.stringify(value ?? {}, null, 2))}
        />
      ) : (
        <textarea
          data-testid="sim-input-text"
          rows={5}
          value={inputText}
          spellCheck={false}
          aria-invalid
          onChange={(e) => setInput(e.target.value)}
        />
      )}

      <VariablesForm stateKey={key} />

      {state && takesMock(type) && <MockForm type={type} />}

      <div className="sim-actions">
        <button
          type="button"
          className="primary"
          data-testid="sim-run"
          disabled={running || !key}
          onClick={() => void simulate()}
        >
          {running ? "Simulating…" : `Simulate ${key ? addressOf(key).name : ""}`}
        </button>
        {walked.length > 0 && (
          <button
            type="button"
            className="link small"
            data-testid="sim-start-over"
            onClick={startOver}
          >
            Start over
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="sim-request-error">
          {error}
        </p>
      )}

      {walked.length > 0 && (
        <p className="sim-path small" data-testid="sim-path">
          Path walked: {walked.map((w) => w.name).join(" → ")}
        </p>
      )}
      {last && last.key === key && <Answer walked={last} />}
    </div>
  );
}
