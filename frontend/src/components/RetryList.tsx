// How a Task, Parallel or Map retries before giving up (and before any catcher applies).
import { arrayField } from "../asl/definition";
import * as edits from "../asl/edits";
import { problemOf, textToValue, valueToText, type FieldKind } from "../asl/fieldText";
import { diagnosticsUnder, statePointer } from "../asl/pointer";
import { isObject, type JsonObject, type JsonValue, type StateDefinition } from "../asl/types";
import { useGraph } from "../store";
import { useScopedEdit, useStateKey } from "./scope";
import { TextField } from "./fields";
import { ListEntry } from "./ListEntry";
import { ErrorMenu } from "./StateForms";

const NUMBERS: { field: string; label: string; kind: FieldKind; placeholder: string }[] = [
  { field: "MaxAttempts", label: "Attempts", kind: "count", placeholder: "3" },
  { field: "IntervalSeconds", label: "First wait (s)", kind: "count", placeholder: "1" },
  { field: "BackoffRate", label: "Back-off ×", kind: "decimal", placeholder: "2" },
];

export function RetryList({ name, state }: { name: string; state: StateDefinition }) {
  const edit = useScopedEdit();
  const key = useStateKey(name);
  const diagnostics = useGraph((s) => s.diagnostics);
  const retriers = arrayField(state, "Retry");
  const setRetriers = (next: JsonValue[]) =>
    edit((d) => edits.setField(d, name, "Retry", next.length ? next : undefined));
  const update = (index: number, field: string, value: JsonValue | undefined) =>
    setRetriers(
      retriers.map((r, i) => {
        if (i !== index || !isObject(r)) return r;
        const next: JsonObject = { ...r };
        if (value === undefined) delete next[field];
        else next[field] = value;
        return next;
      }),
    );

  return (
    <div className="choice-rules">
      <h3>Retries</h3>
      {retriers.length === 0 && <p className="field-hint">A failure is not retried.</p>}
      {retriers.map((retrier, index) => {
        const entry = isObject(retrier) ? retrier : {};
        const problems = diagnosticsUnder(diagnostics, statePointer(key, "Retry", index));
        return (
          <ListEntry
            key={index}
            title={`Retrier ${index + 1}`}
            onRemove={() => setRetriers(retriers.filter((_, i) => i !== index))}
            problems={problems}
            testId={`retry-${index}`}
          >
            <TextField
              label="Errors"
              value={arrayField(entry, "ErrorEquals").join(", ")}
              validate={(text) =>
                edits.parseErrorList(text).length ? null : "Name at least one error."
              }
              onCommit={(text) => update(index, "ErrorEquals", edits.parseErrorList(text))}
              testId="retry-errors"
            />
            <ErrorMenu
              errors={arrayField(entry, "ErrorEquals").filter(
                (e): e is string => typeof e === "string",
              )}
              onChange={(list) => update(index, "ErrorEquals", list)}
              testId="retry-error-menu"
            />
            <div className="retry-numbers">
              {NUMBERS.map(({ field, label, kind, placeholder }) => (
                <TextField
                  key={field}
                  label={label}
                  value={valueToText(kind, entry[field])}
                  placeholder={placeholder}
                  validate={(text) => problemOf(kind, text)}
                  onCommit={(text) => {
                    const parsed = textToValue(kind, text);
                    if ("value" in parsed) update(index, field, parsed.value);
                  }}
                  testId={`retry-${field.toLowerCase()}`}
                />
              ))}
            </div>
          </ListEntry>
        );
      })}
      <button
        type="button"
        className="secondary small"
        data-testid="add-retry"
        onClick={() =>
          setRetriers([
            ...retriers,
            { ErrorEquals: ["States.ALL"], MaxAttempts: 3, IntervalSeconds: 1, BackoffRate: 2 },
          ])
        }
      >
        Add a retrier
      </button>
    </div>
  );
}
