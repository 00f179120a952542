// The rules of a Choice state, built from forms: comparisons in plain words, combined with
// all of / any of / not to any depth, each rule with a target chosen by the user (a new rule
// has none, so it never loops back silently). A Choice without a default is warned about.
import { useState } from "react";
import { arrayField, stringField } from "../asl/definition";
import {
  adaptValue,
  buildSimpleRule,
  describeCondition,
  hasPathVariant,
  newComparison,
  OPERATOR_GROUPS,
  PHRASES,
  parseSimpleRule,
  splitRule,
  type Operator,
  type SimpleRule,
} from "../asl/choiceRules";
import * as edits from "../asl/edits";
import { textToValue } from "../asl/fieldText";
import { diagnosticsUnder, fieldDiagnostics, statePointer } from "../asl/pointer";
import { isObject, type JsonObject, type JsonValue, type StateDefinition } from "../asl/types";
import { sameJson } from "../asl/valueModel";
import { useGraph } from "../store";
import { DraftInput } from "./DraftInput";
import { JsonataHelp } from "./JsonataHelp";
import { ListEntry } from "./ListEntry";
import { PathInput } from "./PathPicker";
import { useScopedEdit, useStateKey } from "./scope";
import { SelectField, TextField } from "./fields";
import type { Language } from "./StateForms";

type Option = { value: string; label: string };

/** A rule typed as JSON, or why it cannot be one. */
function parseRule(text: string): { rule: JsonValue } | { error: string } {
  const parsed = textToValue("json", text);
  if ("error" in parsed) return parsed;
  return isObject(parsed.value) ? { rule: parsed.value } : { error: "A rule is a JSON object." };
}

function takesYesNo(operator: Operator): boolean {
  return operator === "BooleanEquals" || operator.startsWith("Is");
}

/** A comparison the form can show exactly (else the JSON box shows it). */
function comparisonOf(condition: JsonObject): SimpleRule | null {
  const form = parseSimpleRule(condition);
  if (!form) return null;
  const built = buildSimpleRule(form, condition["Comment"]);
  return "rule" in built && sameJson(built.rule, condition) ? form : null;
}

function ComparisonForm({
  condition,
  onChange,
}: {
  condition: JsonObject;
  onChange: (condition: JsonObject) => void;
}) {
  const form = comparisonOf(condition) as SimpleRule;
  const [error, setError] = useState<string | null>(null);
  const commit = (patch: Partial<SimpleRule>): void => {
    const built = buildSimpleRule({ ...form, ...patch, next: "" }, condition["Comment"]);
    if ("error" in built) {
      setError(built.error);
      return;
    }
    setError(null);
    onChange(built.rule);
  };
  const yesNo = takesYesNo(form.operator) && !form.usesPath;
  return (
    <div className="rule-form" data-testid="rule-comparison">
      <div className="field rule-wide">
        <span className="label">If the value at</span>
        <PathInput
          value={form.variable}
          testId="rule-variable"
          onCommit={(variable) => commit({ variable: variable || "$" })}
        />
      </div>
      <div className="field rule-wide">
        <span className="label">is checked with</span>
        <select
          aria-label="Comparison"
          data-testid="rule-operator"
          value={form.operator}
          onChange={(e) => {
            const operator = e.target.value as Operator;
            const usesPath = form.usesPath && hasPathVariant(operator);
            commit({ operator, usesPath, value: adaptValue(operator, form.value, usesPath) });
          }}
        >
          {OPERATOR_GROUPS.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.operators.map((o) => (
                <option key={o} value={o}>
                  {g.label === "Checks" ? PHRASES[o] : `${g.label.toLowerCase()}: ${PHRASES[o]}`}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {hasPathVariant(form.operator) && (
        <div className="field rule-wide">
          <span className="label">against</span>
          <select
            aria-label="Compare with"
            data-testid="rule-compare-with"
            value={form.usesPath ? "path" : "value"}
            onChange={(e) => {
              const usesPath = e.target.value === "path";
              commit({ usesPath, value: usesPath ? "$" : adaptValue(form.operator, "", false) });
            }}
          >
            <option value="value">this value</option>
            <option value="path">another value from the data</option>
          </select>
        </div>
      )}
      <div className="field rule-wide">
        {yesNo ? (
          <select
            aria-label="Value"
            data-testid="rule-yes-no"
            value={form.value}
            onChange={(e) => commit({ value: e.target.value })}
          >
            {form.operator === "BooleanEquals" ? (
              <>
                <option value="true">true</option>
                <option value="false">false</option>
              </>
            ) : (
              <>
                <option value="true">yes</option>
                <option value="false">no (the opposite)</option>
              </>
            )}
          </select>
        ) : form.usesPath ? (
          <PathInput
            value={form.value}
            testId="rule-value-path"
            onCommit={(value) => commit({ value: value || "$" })}
          />
        ) : (
          <DraftInput
            value={form.value}
            testId="rule-value"
            aria-label="Value"
            placeholder={
              form.operator.startsWith("Numeric")
                ? "a number"
                : form.operator.startsWith("Timestamp")
                  ? "2030-01-31T09:00:00Z"
                  : form.operator === "StringMatches"
                    ? "e.g. *@example.com"
                    : "text"
            }
            onCommit={(value) => commit({ value })}
          />
        )}
      </div>
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

const GROUPS = { And: "All of these are true", Or: "Any of these is true" } as const;

/** One condition of a rule, at any depth: a comparison, a group, a Not, or JSONata. */
function ConditionEditor({
  condition,
  onChange,
  language,
  depth,
}: {
  condition: JsonObject;
  onChange: (condition: JsonObject) => void;
  language: Language;
  depth: number;
}) {
  const group = (["And", "Or"] as const).find((k) => Array.isArray(condition[k]));
  let body;
  if (group) {
    const parts = condition[group] as JsonValue[];
    const setParts = (next: JsonValue[]): void => onChange({ ...condition, [group]: next });
    body = (
      <div className="rule-tree" data-testid="rule-group">
        <select
          aria-label="How the conditions combine"
          data-testid="rule-group-kind"
          value={group}
          onChange={(e) => {
            const { [group]: list, ...rest } = condition;
            onChange({ ...rest, [e.target.value]: list as JsonValue });
          }}
        >
          <option value="And">{GROUPS.And}</option>
          <option value="Or">{GROUPS.Or}</option>
        </select>
        {parts.map((part, i) => (
          <div key={i} className="rule-part" data-testid="rule-part">
            {isObject(part) ? (
              <ConditionEditor
                condition={part}
                language={language}
                depth={depth + 1}
                onChange={(c) => setParts(parts.map((p, j) => (j === i ? c : p)))}
              />
            ) : (
              <RawCondition
                condition={part}
                onChange={(c) => setParts(parts.map((p, j) => (j === i ? c : p)))}
              />
            )}
            <button
              type="button"
              className="link small"
              data-testid="rule-remove-part"
              onClick={() => setParts(parts.filter((_, j) => j !== i))}
            >
              Remove this condition
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary small"
          data-testid="rule-add-condition"
          onClick={() => setParts([...parts, newComparison(language)])}
        >
          + Add a condition
        </button>
      </div>
    );
  } else if (isObject(condition["Not"])) {
    body = (
      <div className="rule-tree" data-testid="rule-not">
        <span className="label">This is NOT true:</span>
        <ConditionEditor
          condition={condition["Not"]}
          language={language}
          depth={depth + 1}
          onChange={(c) => onChange({ ...condition, Not: c })}
        />
      </div>
    );
  } else if (typeof condition["Condition"] === "string") {
    body = (
      <div className="field">
        <span className="label">If this expression is true</span>
        <DraftInput
          value={condition["Condition"]}
          testId="rule-condition"
          aria-label="Condition"
          onCommit={(text) => onChange({ ...condition, Condition: text })}
        />
        <JsonataHelp />
      </div>
    );
  } else if (comparisonOf(condition)) {
    body = <ComparisonForm condition={condition} onChange={onChange} />;
  } else {
    body = <RawCondition condition={condition} onChange={onChange} />;
  }
  const isNot = isObject(condition["Not"]);
  return (
    <div className="rule-condition" data-depth={depth}>
      {body}
      {depth < 10 && (
        <select
          aria-label="Combine"
          className="small"
          data-testid="rule-combine"
          value=""
          onChange={(e) => {
            const how = e.target.value;
            const fresh = newComparison(language);
            if (how === "And" || how === "Or") onChange({ [how]: [condition, fresh] });
            if (how === "Not") onChange({ Not: condition });
            if (how === "unnot" && isObject(condition["Not"])) onChange(condition["Not"]);
          }}
        >
          <option value="">Combine…</option>
          <option value="And">…and another condition</option>
          <option value="Or">…or another condition</option>
          {isNot ? (
            <option value="unnot">Remove the NOT</option>
          ) : (
            <option value="Not">Turn into its opposite (NOT)</option>
          )}
        </select>
      )}
    </div>
  );
}

function RawCondition({
  condition,
  onChange,
}: {
  condition: JsonValue;
  onChange: (condition: JsonObject) => void;
}) {
  return (
    <TextField
      label="Condition (JSON)"
      value={JSON.stringify(condition, null, 2)}
      multiline
      validate={(text) => {
        const parsed = parseRule(text);
        return "error" in parsed ? parsed.error : null;
      }}
      onCommit={(text) => {
        const parsed = parseRule(text);
        if ("rule" in parsed && isObject(parsed.rule)) onChange(parsed.rule);
      }}
    />
  );
}

export function ChoiceRules({
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
  const diagnostics = useGraph((s) => s.diagnostics);
  const rules = arrayField(state, "Choices");
  const setRules = (next: JsonValue[]) => edit((d) => edits.setField(d, name, "Choices", next));
  const replace = (index: number, rule: JsonValue) =>
    setRules(rules.map((r, i) => (i === index ? rule : r)));
  const fallback = stringField(state, "Default");
  return (
    <div className="choice-rules">
      <h3>Rules, tried in order</h3>
      {rules.length === 0 && (
        <p className="field-hint">No rules yet: every run takes the “otherwise” path.</p>
      )}
      {rules.map((rule, index) => {
        const problems = diagnosticsUnder(diagnostics, statePointer(key, "Choices", index));
        if (!isObject(rule)) {
          return (
            <ListEntry
              key={index}
              title={`Rule ${index + 1}`}
              onRemove={() => setRules(rules.filter((_, i) => i !== index))}
              problems={problems}
              testId={`rule-${index}`}
            >
              <RawCondition condition={rule} onChange={(r) => replace(index, r)} />
            </ListEntry>
          );
        }
        const { condition, extras } = splitRule(rule);
        const next = typeof extras["Next"] === "string" ? extras["Next"] : "";
        const sentence = describeCondition(condition);
        const setNext = (value: string): void => {
          const updated: JsonObject = { ...rule };
          if (value === "") delete updated["Next"];
          else updated["Next"] = value;
          replace(index, updated);
        };
        return (
          <ListEntry
            key={index}
            title={`Rule ${index + 1}`}
            onRemove={() => setRules(rules.filter((_, i) => i !== index))}
            problems={problems}
            testId={`rule-${index}`}
          >
            <p className="rule-sentence" data-testid="rule-sentence">
              {sentence ? `If ${sentence}` : "A rule the form cannot read: edit it as JSON."}
              {next ? `, go to “${next}”.` : ": choose where to go."}
            </p>
            <ConditionEditor
              condition={condition}
              language={language}
              depth={0}
              onChange={(c) => replace(index, { ...c, ...extras })}
            />
            <SelectField
              label="then go to"
              value={next}
              options={[
                ...(next === "" ? [{ value: "", label: "— choose a state —" }] : []),
                ...(next !== "" && !targets.some((t) => t.value === next)
                  ? [{ value: next, label: next }]
                  : []),
                ...targets,
              ]}
              onChange={setNext}
              testId="rule-next"
            />
          </ListEntry>
        );
      })}
      <button
        type="button"
        className="secondary small"
        data-testid="add-rule"
        onClick={() => setRules([...rules, newComparison(language)])}
      >
        Add a rule
      </button>
      <SelectField
        label="Otherwise (Default)"
        value={fallback ?? ""}
        options={[{ value: "", label: "No default" }, ...targets]}
        onChange={(value) =>
          edit((d) => edits.setField(d, name, "Default", value === "" ? undefined : value))
        }
        problems={fieldDiagnostics(diagnostics, key, "Default")}
        testId="field-default"
      />
      {fallback === null && (
        <p className="field-warning" role="status" data-testid="no-default-warning">
          No default: data that matches no rule fails the run with States.NoChoiceMatched. Choose
          where such data should go.
        </p>
      )}
    </div>
  );
}
