// The form for the selected state: its name, type and the fields its type understands.
import { stateNames, statesOf, stringField, typeOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { fieldDiagnostics, pointerTarget } from "../asl/pointer";
import { STATE_TYPES, type JsonValue, type StateDefinition, type StateType } from "../asl/types";
import { useGraph } from "../store";
import { CatchList } from "./CatchList";
import { ChoiceRules } from "./ChoiceRules";
import { SelectField, TextField } from "./fields";

const END = "\u0000end";

function parseJson(text: string): { value?: JsonValue; error?: string } {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return { error: "This is not valid JSON." };
  }
}

function jsonText(value: JsonValue | undefined): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

function numberProblem(text: string): string | null {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? null : "Enter a whole number of 0 or more.";
}

export function Inspector() {
  const selected = useGraph((s) => s.selected);
  const definition = useGraph((s) => s.definition);
  const diagnostics = useGraph((s) => s.diagnostics);
  const edit = useGraph((s) => s.edit);
  const select = useGraph((s) => s.select);

  const state: StateDefinition | undefined = selected ? statesOf(definition)[selected] : undefined;
  if (!selected || !state) {
    return (
      <div className="empty-panel">
        <p>
          <strong>No state selected.</strong>
        </p>
        <p className="muted">
          Click a state on the canvas to edit it, or add one from the palette.
        </p>
      </div>
    );
  }
  const name = selected;
  const type = typeOf(state);
  const others = stateNames(definition).filter((n) => n !== name);
  const targets = others.map((n) => ({ value: n, label: n }));
  const problemsOf = (field: string) => fieldDiagnostics(diagnostics, name, field);
  const general = diagnostics.filter((d) => {
    const t = pointerTarget(d.location ?? "");
    return t.state === name && t.field === null;
  });
  const set = (field: string, value: JsonValue | undefined) =>
    edit((d) => edits.setField(d, name, field, value));
  const setText = (field: string) => (text: string) => set(field, text === "" ? undefined : text);
  const setNumber = (field: string) => (text: string) =>
    set(field, text.trim() === "" ? undefined : Number(text));
  const setJson = (field: string) => (text: string) =>
    set(field, text.trim() === "" ? undefined : parseJson(text).value);
  const jsonProblem = (text: string) =>
    text.trim() === "" ? null : (parseJson(text).error ?? null);
  const leaves = type !== "Succeed" && type !== "Fail" && type !== "Choice";

  return (
    <form className="inspector" onSubmit={(e) => e.preventDefault()} data-testid="inspector">
      {general.length > 0 && (
        <ul className="field-problems">
          {general.map((d, i) => (
            <li key={i}>{d.message}</li>
          ))}
        </ul>
      )}
      <TextField
        label="Name"
        value={name}
        testId="field-name"
        onCommit={(text) => {
          if (edit((d) => edits.renameState(d, name, text))) select(text.trim());
        }}
        validate={(text) => (text.trim() === "" ? "A state needs a name." : null)}
      />
      <SelectField
        label="Type"
        value={type}
        testId="field-type"
        options={STATE_TYPES.map((t) => ({ value: t, label: t }))}
        onChange={(t) => edit((d) => edits.changeType(d, name, t as StateType))}
        problems={problemsOf("Type")}
      />
      <TextField
        label="Comment"
        value={stringField(state, "Comment") ?? ""}
        onCommit={setText("Comment")}
        testId="field-comment"
        problems={problemsOf("Comment")}
      />

      {type === "Task" && (
        <>
          <TextField
            label="Resource"
            value={stringField(state, "Resource") ?? ""}
            onCommit={setText("Resource")}
            testId="field-resource"
            problems={problemsOf("Resource")}
            hint="A function ARN (its name picks a registered function), a Celery task or an HTTP call."
          />
          <TextField
            label="Timeout (seconds)"
            value={jsonText(state["TimeoutSeconds"])}
            onCommit={setNumber("TimeoutSeconds")}
            validate={numberProblem}
            testId="field-timeout"
            problems={problemsOf("TimeoutSeconds")}
          />
        </>
      )}
      {type === "Wait" && (
        <TextField
          label="Seconds"
          value={jsonText(state["Seconds"])}
          onCommit={setNumber("Seconds")}
          validate={numberProblem}
          testId="field-seconds"
          problems={problemsOf("Seconds")}
        />
      )}
      {type === "Fail" && (
        <>
          <TextField
            label="Error"
            value={stringField(state, "Error") ?? ""}
            onCommit={setText("Error")}
            testId="field-error"
            problems={problemsOf("Error")}
          />
          <TextField
            label="Cause"
            value={stringField(state, "Cause") ?? ""}
            onCommit={setText("Cause")}
            testId="field-cause"
            problems={problemsOf("Cause")}
            multiline
          />
        </>
      )}
      {type === "Pass" && (
        <TextField
          label="Result (JSON)"
          value={jsonText(state["Result"])}
          onCommit={setJson("Result")}
          validate={jsonProblem}
          multiline
          testId="field-result"
          problems={problemsOf("Result")}
          hint="Leave empty to pass the input through."
        />
      )}
      {(type === "Map" || type === "Parallel") && (
        <p className="field-hint">Edit the inner states of this {type} in the code view.</p>
      )}
      {type === "Choice" && <ChoiceRules name={name} state={state} targets={targets} />}
      {leaves && (
        <SelectField
          label="Then"
          value={stringField(state, "Next") ?? END}
          testId="field-next"
          options={[{ value: END, label: "End the run" }, ...targets]}
          onChange={(value) => edit((d) => edits.setNext(d, name, value === END ? null : value))}
          problems={[...problemsOf("Next"), ...problemsOf("End")]}
        />
      )}
      {(type === "Task" || type === "Parallel" || type === "Map") && (
        <CatchList name={name} state={state} targets={targets} />
      )}
      <div className="inspector-actions">
        {definition["StartAt"] === name ? (
          <span className="field-hint">The run starts here.</span>
        ) : (
          <button
            type="button"
            className="secondary"
            data-testid="start-here"
            onClick={() => edit((d) => edits.setStartAt(d, name))}
          >
            Start the run here
          </button>
        )}
        <button
          type="button"
          className="danger"
          data-testid="delete-state"
          onClick={() => {
            if (edit((d) => edits.deleteState(d, name))) select(null);
          }}
        >
          Delete this state
        </button>
      </div>
    </form>
  );
}
