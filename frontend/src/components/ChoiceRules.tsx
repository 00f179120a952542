// The rules of a Choice state: one-comparison rules get a form, compound ones a JSON box.
import { useState } from "react";
import { arrayField, stringField } from "../asl/definition";
import {
  adaptValue,
  buildSimpleRule,
  OPERATOR_LABELS,
  OPERATORS,
  parseSimpleRule,
  type Operator,
  type SimpleRule,
} from "../asl/choiceRules";
import * as edits from "../asl/edits";
import { textToValue } from "../asl/fieldText";
import { diagnosticsUnder, fieldDiagnostics, statePointer } from "../asl/pointer";
import { describeRule } from "../asl/transitions";
import { isObject, type JsonValue, type StateDefinition } from "../asl/types";
import { useGraph } from "../store";
import { useScopedEdit, useStateKey } from "./scope";
import { SelectField, TextField } from "./fields";
import { ListEntry } from "./ListEntry";

type Option = { value: string; label: string };

/** A compound rule typed as JSON, or why it cannot be one. */
function parseRule(text: string): { rule: JsonValue } | { error: string } {
  const parsed = textToValue("json", text);
  if ("error" in parsed) return parsed;
  return isObject(parsed.value) ? { rule: parsed.value } : { error: "A rule is a JSON object." };
}

function takesNoValue(operator: Operator): boolean {
  return operator === "BooleanEquals" || operator.startsWith("Is");
}

function SimpleRuleForm({
  form,
  comment,
  targets,
  onChange,
}: {
  form: SimpleRule;
  comment: JsonValue | undefined;
  targets: Option[];
  onChange: (rule: JsonValue) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const commit = (patch: Partial<SimpleRule>): void => {
    const built = buildSimpleRule({ ...form, ...patch }, comment);
    if ("error" in built) {
      setError(built.error);
      return;
    }
    setError(null);
    onChange(built.rule);
  };
  const nextOptions = targets.some((t) => t.value === form.next)
    ? targets
    : [{ value: form.next, label: form.next || "—" }, ...targets];
  return (
    <div className="rule-form">
      <TextField
        label="If the value at"
        value={form.variable}
        onCommit={(variable) => commit({ variable })}
        testId="rule-variable"
      />
      <SelectField
        label="is"
        value={form.operator}
        options={OPERATORS.map((o) => ({ value: o, label: OPERATOR_LABELS[o] }))}
        onChange={(value) => {
          const operator = value as Operator;
          commit({ operator, value: adaptValue(operator, form.value, form.usesPath) });
        }}
        testId="rule-operator"
      />
      {takesNoValue(form.operator) && !form.usesPath ? (
        <SelectField
          label="value"
          value={form.value}
          options={[
            { value: "true", label: "true" },
            { value: "false", label: "false" },
          ]}
          onChange={(value) => commit({ value })}
        />
      ) : (
        <TextField
          label={form.usesPath ? "the value at" : "value"}
          value={form.value}
          onCommit={(value) => commit({ value })}
          testId="rule-value"
        />
      )}
      <SelectField
        label="then go to"
        value={form.next}
        options={nextOptions}
        onChange={(next) => commit({ next })}
        testId="rule-next"
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

export function ChoiceRules({
  name,
  state,
  targets,
}: {
  name: string;
  state: StateDefinition;
  targets: Option[];
}) {
  const edit = useScopedEdit();
  const key = useStateKey(name);
  const diagnostics = useGraph((s) => s.diagnostics);
  const rules = arrayField(state, "Choices");
  const setRules = (next: JsonValue[]) => edit((d) => edits.setField(d, name, "Choices", next));
  const replace = (index: number, rule: JsonValue) =>
    setRules(rules.map((r, i) => (i === index ? rule : r)));
  return (
    <div className="choice-rules">
      <h3>Rules, tried in order</h3>
      {rules.length === 0 && (
        <p className="field-hint">No rules yet: every run takes the default path.</p>
      )}
      {rules.map((rule, index) => {
        const form = parseSimpleRule(rule);
        const problems = diagnosticsUnder(diagnostics, statePointer(key, "Choices", index));
        return (
          <ListEntry
            key={index}
            title={`Rule ${index + 1}`}
            onRemove={() => setRules(rules.filter((_, i) => i !== index))}
            problems={problems}
            testId={`rule-${index}`}
          >
            {form ? (
              <SimpleRuleForm
                form={form}
                comment={isObject(rule) ? rule["Comment"] : undefined}
                targets={targets}
                onChange={(r) => replace(index, r)}
              />
            ) : (
              <TextField
                label={isObject(rule) ? describeRule(rule) : "Rule (JSON)"}
                value={JSON.stringify(rule, null, 2)}
                multiline
                validate={(text) => {
                  const parsed = parseRule(text);
                  return "error" in parsed ? parsed.error : null;
                }}
                onCommit={(text) => {
                  const parsed = parseRule(text);
                  if ("rule" in parsed) replace(index, parsed.rule);
                }}
              />
            )}
          </ListEntry>
        );
      })}
      <button
        type="button"
        className="secondary small"
        data-testid="add-rule"
        onClick={() =>
          setRules([
            ...rules,
            { Variable: "$.value", StringEquals: "yes", Next: targets[0]?.value ?? name },
          ])
        }
      >
        Add a rule
      </button>
      <SelectField
        label="Otherwise (Default)"
        value={stringField(state, "Default") ?? ""}
        options={[{ value: "", label: "No default" }, ...targets]}
        onChange={(value) =>
          edit((d) => edits.setField(d, name, "Default", value === "" ? undefined : value))
        }
        problems={fieldDiagnostics(diagnostics, key, "Default")}
        testId="field-default"
      />
    </div>
  );
}
