// The input and output of the state clicked on the run view.
import { addressOf, stateAt } from "../asl/scopes";
import { useGraph } from "../store";
import { useRunTools } from "../store/runTools";
import { canvasStatus } from "../runToolsApi";
import { MapIterationsPanel } from "./runTools/MapIterationsPanel";
import { ChoiceTracePanel } from "./ChoiceTracePanel";
import { InnerStates } from "./InnerStates";
import { JsonView } from "./JsonView";
import { STATUS_LABELS } from "./Legend";

/** The API may give a JSON value or JSON text; both are shown the same way. */
function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

function Block({
  title,
  text,
  testId,
  missing = "Not available yet.",
}: {
  title: string;
  text: string | null;
  testId: string;
  missing?: string;
}) {
  return (
    <section className="io-block">
      <h3>{title}</h3>
      {text === null ? (
        <p className="muted small">{missing}</p>
      ) : (
        <JsonView value={text} testId={testId} />
      )}
    </section>
  );
}

export function StateDetails() {
  const selected = useGraph((s) => s.selected);
  const run = useGraph((s) => (s.selected ? s.run.states[s.selected] : undefined));
  const execution = useGraph((s) => s.execution);
  // The node's colour, which also knows when the state waits for an approval.
  const shown = useGraph((s) => s.nodes.find((n) => n.id === s.selected)?.data.status);
  const isMap = useGraph((s) =>
    s.selected ? stateAt(s.definition, s.selected)?.["Type"] === "Map" : false,
  );
  // While the scrubber shows an earlier moment, the data are those of that moment.
  const past = useRunTools((s) => (s.scrubAt !== null ? s.shown : null));
  if (past && selected) {
    const then = past.states[selected];
    const status = then ? canvasStatus(then.status) : "idle";
    return (
      <div className="state-details" data-testid="state-details">
        <h2>{selected}</h2>
        <p className="muted small" data-testid="state-moment">
          As it was at event {past.at}
        </p>
        <p className={`status-line status-${status}`} data-testid="state-status">
          {STATUS_LABELS[status]}
          {then?.retries ? ` · retried ${then.retries}×` : ""}
        </p>
        {then && then.entered > 0 ? (
          <>
            <Block title="Input" text={then.input ?? null} testId="state-input" />
            <Block
              title="Output"
              text={then.output ?? null}
              testId="state-output"
              missing={
                status === "failed" || status === "caught"
                  ? "None: the state failed."
                  : "Not yet at that moment."
              }
            />
            {then.error && (
              <p className="field-error">
                {then.error}
                {then.cause ? `: ${then.cause}` : ""}
              </p>
            )}
          </>
        ) : (
          <p className="muted">This state had not run yet at that moment.</p>
        )}
      </div>
    );
  }
  if (!selected) {
    return (
      <div className="state-details">
        <p className="muted">Click a state to see its input and output.</p>
        {execution && (
          <>
            <Block
              title="Execution input"
              text={asText(execution.input)}
              testId="execution-input"
            />
            {execution.output !== null && execution.output !== undefined && (
              <Block
                title="Execution output"
                text={asText(execution.output)}
                testId="execution-output"
              />
            )}
            {execution.error && (
              <p className="field-error">
                {execution.error}
                {execution.cause ? `: ${execution.cause}` : ""}
              </p>
            )}
          </>
        )}
      </div>
    );
  }
  return (
    <div className="state-details" data-testid="state-details">
      <h2>{selected}</h2>
      <p className={`status-line status-${shown ?? "idle"}`} data-testid="state-status">
        {STATUS_LABELS[shown ?? "idle"]}
      </p>
      {/* For a Choice, why it went its way comes first: it is what one clicks it for. */}
      <ChoiceTracePanel state={selected} />
      {isMap && execution && (
        <MapIterationsPanel execution={execution.id} state={addressOf(selected).name} />
      )}
      {run ? (
        <>
          <Block title="Input" text={run.input} testId="state-input" />
          <Block
            title="Output"
            text={run.output}
            testId="state-output"
            missing={
              run.status === "failed" || run.status === "caught"
                ? "None: the state failed."
                : "Not available yet."
            }
          />
          {run.error && (
            <p className="field-error">
              {run.error}
              {run.cause ? `: ${run.cause}` : ""}
            </p>
          )}
        </>
      ) : (
        <p className="muted">This state has not run in this execution.</p>
      )}
      <InnerStates state={selected} />
    </div>
  );
}
