// Why a Choice state went where it went: each rule with the values it compared, as the server
// recorded them beside the history (GET /api/v1/executions/ID/choice-traces/).
import "./ChoiceTracePanel.css";
import { useEffect, useState } from "react";
import { type ChoiceTrace, type RuleTrace, runsApi } from "../executionsApi";
import { useGraph } from "../store";

function shown(value: unknown): string {
  return JSON.stringify(value);
}

function Comparison({ rule }: { rule: RuleTrace }) {
  if (rule.operator === "Condition")
    return <code className="trace-expr">{String(rule.condition)}</code>;
  const actual = rule.actual_found === false ? "(not in the input)" : shown(rule.actual);
  const isTest = rule.operator.startsWith("Is");
  const expected =
    rule.expected_path !== undefined
      ? `${rule.expected_path} = ${rule.expected_found === false ? "(not in the input)" : shown(rule.expected)}`
      : shown(rule.expected);
  return (
    <span className="trace-comparison">
      <code>{rule.variable}</code> = <strong>{actual}</strong>{" "}
      <span className="trace-op" title={rule.operator}>
        {isTest ? `${rule.operator} ${expected}` : `${rule.symbol ?? rule.operator} ${expected}`}
      </span>
    </span>
  );
}

export function Rule({ rule, top }: { rule: RuleTrace; top?: boolean }) {
  const mark = rule.skipped ? "–" : rule.result ? "✓" : "✗";
  return (
    <li
      className={`trace-rule ${rule.skipped ? "trace-skipped" : rule.result ? "trace-true" : "trace-false"}`}
      data-testid={top ? "trace-rule" : undefined}
    >
      <span
        className="trace-mark"
        aria-label={rule.skipped ? "not evaluated" : String(rule.result)}
      >
        {mark}
      </span>
      {rule.rules ? (
        <span>
          <strong>
            {rule.operator === "Not" ? "Not" : rule.operator === "And" ? "All of" : "Any of"}
          </strong>
          <ul>
            {rule.rules.map((inner, i) => (
              <Rule key={i} rule={inner} />
            ))}
          </ul>
        </span>
      ) : (
        <Comparison rule={rule} />
      )}
      {top && rule.next && (
        <span className="trace-next">
          {rule.result && !rule.skipped ? `→ ${rule.next}` : `(would go to ${rule.next})`}
        </span>
      )}
      {rule.error && <div className="field-error small">{rule.error}</div>}
    </li>
  );
}

export function ChoiceTracePanel({ state }: { state: string }) {
  const execution = useGraph((s) => s.execution);
  const eventCount = useGraph((s) => s.events.length);
  const [traces, setTraces] = useState<ChoiceTrace[] | null>(null);
  const id = execution?.id;

  useEffect(() => {
    if (!id) return;
    let live = true;
    runsApi.choiceTraces(id).then(
      ({ choice_traces }) => live && setTraces(choice_traces),
      () => live && setTraces([]),
    );
    return () => {
      live = false;
    };
    // New events may hold a new evaluation of this Choice.
  }, [id, eventCount]);

  const mine = (traces ?? []).filter((t) => t.state_name === state);
  if (traces === null || mine.length === 0) return null;
  return (
    <section className="choice-trace" data-testid="choice-trace">
      <h3>Why it went this way</h3>
      {mine.map((t) => (
        <div key={t.event_id} className="trace-evaluation">
          <p className="small muted">
            Evaluated at event #{t.event_id}:{" "}
            {t.trace.matched !== null
              ? `rule ${t.trace.matched + 1} matched`
              : "no rule matched, so the default was taken"}
            , next state <strong data-testid="trace-next">{t.trace.next ?? "none"}</strong>.
          </p>
          <ol>
            {t.trace.rules.map((rule, i) => (
              <Rule key={i} rule={rule} top />
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
