// The form for the selected state: its name, type and the fields its type understands.
import { stateNames, statesOf, stringField, typeOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { fieldDiagnostics, pointerTarget } from "../asl/pointer";
import { STATE_TYPES, type StateDefinition, type StateType } from "../asl/types";
import { useGraph } from "../store";
import { CatchList } from "./CatchList";
import { ChoiceRules } from "./ChoiceRules";
import { DataFlow } from "./DataFlow";
import { InnerStates } from "./InnerStates";
import { RetryList } from "./RetryList";
import { StateField } from "./StateField";
import { SelectField, TextField } from "./fields";

const END = "\u0000end";

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
        options={[
          ...((STATE_TYPES as readonly string[]).includes(type)
            ? []
            : [{ value: type, label: `${type} (not a state type)` }]),
          ...STATE_TYPES.map((t) => ({ value: t, label: t })),
        ]}
        onChange={(t) => edit((d) => edits.changeType(d, name, t as StateType))}
        problems={problemsOf("Type")}
      />
      <StateField name={name} state={state} field="Comment" label="Comment" />

      {type === "Task" && (
        <>
          <StateField
            name={name}
            state={state}
            field="Resource"
            label="Resource"
            hint="A function ARN (its name picks a registered function), a Celery task or an HTTP call."
          />
          <StateField
            name={name}
            state={state}
            field="TimeoutSeconds"
            label="Timeout (seconds)"
            kind="count"
          />
        </>
      )}
      {type === "Wait" && (
        <StateField name={name} state={state} field="Seconds" label="Seconds" kind="count" />
      )}
      {type === "Fail" && (
        <>
          <StateField name={name} state={state} field="Error" label="Error" />
          <StateField name={name} state={state} field="Cause" label="Cause" multiline />
        </>
      )}
      {type === "Pass" && (
        <StateField
          name={name}
          state={state}
          field="Result"
          label="Result (JSON)"
          kind="json"
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
        <>
          <RetryList name={name} state={state} />
          <CatchList name={name} state={state} targets={targets} />
        </>
      )}
      {type !== "Fail" && <DataFlow name={name} state={state} type={type} />}
      <InnerStates state={name} />
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
