// Where a Task, Parallel or Map goes when it fails: each catcher names errors and a next state.
import { arrayField, statesOf, stringField, typeOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { diagnosticsUnder, statePointer } from "../asl/pointer";
import { isObject, type Definition, type JsonValue, type StateDefinition } from "../asl/types";
import { useGraph } from "../store";
import { useScopeDefinition, useScopedEdit, useStateKey } from "./scope";
import { SelectField, TextField } from "./fields";
import { ListEntry } from "./ListEntry";
import { PathInput } from "./PathPicker";
import { ErrorMenu, type Language } from "./StateForms";

type Option = { value: string; label: string };

/** A failure most often leads to a Fail state; failing that, to the first other state. */
function fallbackTarget(definition: Definition, targets: Option[]): string | undefined {
  const states = statesOf(definition);
  const fail = targets.find((t) => typeOf(states[t.value] ?? {}) === "Fail");
  return (fail ?? targets[0])?.value;
}

export function CatchList({
  name,
  state,
  targets,
  language,
}: {
  name: string;
  state: StateDefinition;
  targets: Option[];
  language: Language;
}) {
  const edit = useScopedEdit();
  const key = useStateKey(name);
  const definition = useScopeDefinition();
  const diagnostics = useGraph((s) => s.diagnostics);
  const catchers = arrayField(state, "Catch");
  const setCatchers = (next: JsonValue[]) =>
    edit((d) => edits.setField(d, name, "Catch", next.length ? next : undefined));
  const update = (index: number, patch: Record<string, JsonValue | undefined>) =>
    setCatchers(
      catchers.map((c, i) => {
        if (i !== index || !isObject(c)) return c;
        const next = { ...c };
        for (const [k, v] of Object.entries(patch)) {
          if (v === undefined) delete next[k];
          else next[k] = v;
        }
        return next;
      }),
    );

  return (
    <div className="choice-rules">
      <h3>When it fails</h3>
      {catchers.length === 0 && (
        <p className="field-hint">A failure ends the run. Add a catcher to go elsewhere instead.</p>
      )}
      {catchers.map((catcher, index) => {
        const errors = isObject(catcher) ? arrayField(catcher, "ErrorEquals") : [];
        const next = isObject(catcher) ? (stringField(catcher, "Next") ?? "") : "";
        const problems = diagnosticsUnder(diagnostics, statePointer(key, "Catch", index));
        return (
          <ListEntry
            key={index}
            title={`Catcher ${index + 1}`}
            onRemove={() => setCatchers(catchers.filter((_, i) => i !== index))}
            problems={problems}
            testId={`catch-${index}`}
          >
            <div className="rule-form">
              <TextField
                label="Errors"
                value={errors.join(", ")}
                validate={(text) =>
                  edits.parseErrorList(text).length ? null : "Name at least one error."
                }
                onCommit={(text) => update(index, { ErrorEquals: edits.parseErrorList(text) })}
                testId="catch-errors"
              />
              <ErrorMenu
                errors={errors.filter((e): e is string => typeof e === "string")}
                onChange={(list) => update(index, { ErrorEquals: list })}
                testId="catch-error-menu"
              />
              <SelectField
                label="then go to"
                value={next}
                options={
                  targets.some((t) => t.value === next)
                    ? targets
                    : [{ value: next, label: next || "—" }, ...targets]
                }
                onChange={(value) => update(index, { Next: value })}
                testId="catch-next"
              />
              {language === "JSONPath" && isObject(catcher) && (
                <div className="field">
                  <span className="label">Keep the data and put the error at</span>
                  <PathInput
                    value={stringField(catcher, "ResultPath") ?? ""}
                    testId="catch-resultpath"
                    placeholder="not set: the error replaces the data"
                    onCommit={(p) => update(index, { ResultPath: p === "" ? undefined : p })}
                  />
                </div>
              )}
            </div>
          </ListEntry>
        );
      })}
      <button
        type="button"
        className="secondary small"
        data-testid="add-catch"
        disabled={targets.length === 0}
        onClick={() =>
          setCatchers([
            ...catchers,
            {
              ErrorEquals: ["States.ALL"],
              Next: fallbackTarget(definition, targets) ?? name,
              // The data is kept and the error added beside it, rather than replacing it.
              ...(language === "JSONPath" ? { ResultPath: "$.error" } : {}),
            },
          ])
        }
      >
        Add a catcher
      </button>
    </div>
  );
}
