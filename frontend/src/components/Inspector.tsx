// The form for the selected state: its name, type and the fields its type understands.
import { stateNames, statesOf, stringField, typeOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { fieldDiagnostics, ownDiagnostics } from "../asl/pointer";
import { addressOf, allScopes, editScope, isWithin, scopeAt, scopeLabel } from "../asl/scopes";
import { STATE_TYPES, type StateDefinition, type StateType } from "../asl/types";
import { useGraph } from "../store";
import { isApprovalState } from "../asl/approval";
import { ApprovalForm } from "./approvals/ApprovalForm";
import { CatchList } from "./CatchList";
import { ChoiceRules } from "./ChoiceRules";
import { DataFlow } from "./DataFlow";
import { InnerStates } from "./InnerStates";
import { RetryList } from "./RetryList";
import { ScopeContext } from "./scope";
import { StateField } from "./StateField";
import { SelectField, TextField } from "./fields";
import { MachineSettings } from "./MachineSettings";
import {
  FailFields,
  languageOf,
  MapFields,
  QueryLanguageField,
  TaskLimits,
  WaitFields,
} from "./StateForms";
import { ValueField } from "./ValueEditor";

const END = "\u0000end";

export function Inspector() {
  const selected = useGraph((s) => s.selected);
  const definition = useGraph((s) => s.definition);
  const diagnostics = useGraph((s) => s.diagnostics);
  const editMachine = useGraph((s) => s.edit);
  const renameState = useGraph((s) => s.renameState);
  const requestDelete = useGraph((s) => s.requestDelete);

  const { scope, name } = addressOf(selected ?? "");
  const holder = scopeAt(definition, scope) ?? {};
  const state: StateDefinition | undefined = selected ? statesOf(holder)[name] : undefined;
  if (!selected || !state) {
    return (
      <div className="empty-panel">
        <p>
          <strong>No state selected.</strong>
        </p>
        <p className="muted">
          Click a state on the canvas to edit it, or add one from the palette.
        </p>
        <MachineSettings />
      </div>
    );
  }
  const key = selected;
  const edit = (change: (d: typeof definition) => typeof definition) =>
    editMachine((d) => editScope(d, scope, change));
  const type = typeOf(state);
  // A state leads only to states of its own scope: inside its Map or branch, or outside them.
  const others = stateNames(holder).filter((n) => n !== name);
  const targets = others.map((n) => ({ value: n, label: n }));
  const problemsOf = (field: string) => fieldDiagnostics(diagnostics, key, field);
  const general = ownDiagnostics(diagnostics, key);
  const machineLanguage = languageOf(definition["QueryLanguage"], {});
  const language = languageOf(definition["QueryLanguage"], state);
  const leaves = type !== "Succeed" && type !== "Fail" && type !== "Choice";

  return (
    <ScopeContext.Provider value={scope}>
      <form className="inspector" onSubmit={(e) => e.preventDefault()} data-testid="inspector">
        {scope !== "" && (
          <p className="field-hint" data-testid="inspector-scope">
            Inside {scopeLabel(scope)}
          </p>
        )}
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
            renameState(key, text);
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
        <PlaceField stateKey={key} scope={scope} />
        <StateField name={name} state={state} field="Comment" label="Comment" />

        {isApprovalState(state) && <ApprovalForm name={name} state={state} edit={edit} />}
        {type === "Task" && !isApprovalState(state) && (
          <>
            <StateField
              name={name}
              state={state}
              field="Resource"
              label="Resource"
              hint="A function ARN (its name picks a registered function), a Celery task or an HTTP call."
            />
            <TaskLimits name={name} state={state} language={language} />
          </>
        )}
        {type === "Wait" && <WaitFields name={name} state={state} language={language} />}
        {type === "Fail" && <FailFields name={name} state={state} language={language} />}
        {type === "Pass" && language === "JSONPath" && (
          <ValueField
            name={name}
            state={state}
            field="Result"
            label="Result: fixed data this step produces"
            mode="literal"
            rootKinds={["object", "list", "text", "number", "boolean", "null"]}
            hint="Not set: the input passes through."
          />
        )}
        {type === "Map" && <MapFields name={name} state={state} language={language} />}
        {(type === "Map" || type === "Parallel") && (
          <p className="field-hint">
            Its steps are drawn inside it on the canvas: click one to edit it, or use “+ add a step”
            {type === "Parallel" ? " and “+ add a branch”" : ""}.
          </p>
        )}
        {type === "Choice" && (
          <ChoiceRules name={name} state={state} targets={targets} language={language} />
        )}
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
            <CatchList name={name} state={state} targets={targets} language={language} />
          </>
        )}
        {type !== "Fail" && (
          <DataFlow name={name} state={state} type={type} language={language}>
            <QueryLanguageField name={name} state={state} machineLanguage={machineLanguage} />
          </DataFlow>
        )}
        {scope === "" && <InnerStates state={name} />}
        <div className="inspector-actions">
          {holder["StartAt"] === name ? (
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
            onClick={() => requestDelete([key])}
          >
            Delete this state
          </button>
        </div>
      </form>
    </ScopeContext.Provider>
  );
}

/** Where the state is, and a way to move it into a Map or branch, or out to the top level. */
function PlaceField({ stateKey, scope }: { stateKey: string; scope: string }) {
  const definition = useGraph((s) => s.definition);
  const moveStates = useGraph((s) => s.moveStates);
  // Not into itself: a Map or Parallel's own boxes are inside it.
  const places = allScopes(definition).filter((p) => p === "" || !isWithin(p, stateKey));
  if (places.length < 2) return null;
  return (
    <SelectField
      label="Where it is"
      value={scope}
      testId="field-place"
      hint="Choose a Map or Parallel branch to move it in there, with everything inside it."
      options={places.map((p) => ({
        value: p,
        label: p === "" ? "The main flow (top level)" : `Inside ${scopeLabel(p)}`,
      }))}
      onChange={(to) => moveStates([stateKey], to)}
    />
  );
}
