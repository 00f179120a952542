// The key–value editor: a value of any kind (text, number, true/false, nothing, list, group of
// fields, a value from the data, a function, an expression), nested to any depth. ValueField
// puts one on a state field, with a raw-JSON toggle for experts.
import { useState, type ReactNode } from "react";
import * as edits from "../asl/edits";
import { problemOf, textToValue } from "../asl/fieldText";
import {
  defaultArgs,
  HASH_ALGORITHMS,
  INTRINSICS,
  specOf,
  type IntrinsicArg,
  type IntrinsicCall,
} from "../asl/intrinsics";
import { fieldDiagnostics } from "../asl/pointer";
import type { JsonValue, StateDefinition } from "../asl/types";
import {
  blankOf,
  freshKey,
  fromForm,
  KIND_LABELS,
  kindsFor,
  representable,
  toForm,
  type FormEntry,
  type FormValue,
  type Mode,
  type ValueKind,
} from "../asl/valueModel";
import { useGraph } from "../store";
import { DraftInput } from "./DraftInput";
import { JsonataHelp } from "./JsonataHelp";
import { PathInput } from "./PathPicker";
import { useScopedEdit, useStateKey } from "./scope";
import "./valueEditor.css";

type Change = (value: FormValue) => void;

function KindSelect({
  value,
  mode,
  inList,
  onChange,
}: {
  value: FormValue;
  mode: Mode;
  inList: boolean;
  onChange: Change;
}) {
  const kinds = kindsFor(mode, inList);
  const shown = kinds.includes(value.kind) ? kinds : [...kinds, value.kind];
  return (
    <select
      className="kv-kind"
      aria-label="Kind of value"
      data-testid="kv-kind"
      value={value.kind}
      onChange={(e) => onChange(blankOf(e.target.value as ValueKind, value))}
    >
      {shown.map((k) => (
        <option key={k} value={k}>
          {KIND_LABELS[k]}
        </option>
      ))}
    </select>
  );
}

/** The control for one value, after its kind menu. */
/** What is wrong with `text` as a number, or null. */
function numberProblem(text: string): string | null {
  return text.trim() !== "" && Number.isFinite(Number(text)) ? null : "Enter a number.";
}

export function ValueControl({ value, onChange }: { value: FormValue; onChange: Change }) {
  switch (value.kind) {
    case "text":
      return (
        <DraftInput
          value={value.text}
          testId="kv-text"
          aria-label="Text"
          onCommit={(text) => onChange({ kind: "text", text })}
        />
      );
    case "number":
      return (
        <DraftInput
          value={String(value.number)}
          testId="kv-number"
          aria-label="Number"
          inputMode="decimal"
          validate={numberProblem}
          onCommit={(t) => onChange({ kind: "number", number: Number(t) })}
        />
      );
    case "boolean":
      return (
        <select
          aria-label="True or false"
          data-testid="kv-boolean"
          value={String(value.value)}
          onChange={(e) => onChange({ kind: "boolean", value: e.target.value === "true" })}
        >
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case "null":
      return <span className="muted small">nothing</span>;
    case "path":
      return (
        <PathInput
          value={value.path}
          testId="kv-path"
          onCommit={(path) => onChange({ kind: "path", path: path || "$" })}
        />
      );
    case "expression":
      return (
        <DraftInput
          value={value.text}
          testId="kv-expression"
          aria-label="Expression"
          onCommit={(text) => onChange({ kind: "expression", text })}
        />
      );
    case "list":
    case "object":
    case "intrinsic":
      return null; // drawn below the row, where nested rows have room
  }
}

/** What a list, group or function holds, drawn under its row. */
function NestedBody({ value, mode, onChange }: { value: FormValue; mode: Mode; onChange: Change }) {
  if (value.kind === "object")
    return (
      <EntriesEditor
        entries={value.entries}
        mode={mode}
        onChange={(entries) => onChange({ kind: "object", entries })}
      />
    );
  if (value.kind === "list")
    return (
      <ListEditor
        items={value.items}
        mode={mode}
        onChange={(items) => onChange({ kind: "list", items })}
      />
    );
  if (value.kind === "intrinsic")
    return (
      <CallEditor call={value.call} onChange={(call) => onChange({ kind: "intrinsic", call })} />
    );
  return null;
}

export function EntriesEditor({
  entries,
  mode,
  onChange,
}: {
  entries: FormEntry[];
  mode: Mode;
  onChange: (entries: FormEntry[]) => void;
}) {
  const replace = (index: number, entry: FormEntry): void =>
    onChange(entries.map((e, i) => (i === index ? entry : e)));
  return (
    <div className="kv-entries" data-testid="kv-entries">
      {entries.map((entry, index) => (
        <div className="kv-entry" key={index} data-testid="kv-row" data-key={entry.key}>
          <div className="kv-head">
            <DraftInput
              className="kv-key"
              value={entry.key}
              testId="kv-key"
              aria-label="Field name"
              validate={(k) =>
                k.trim() === ""
                  ? "A field needs a name."
                  : entries.some((e, i) => i !== index && e.key === k)
                    ? "Another field has this name."
                    : null
              }
              onCommit={(key) => replace(index, { ...entry, key })}
            />
            <KindSelect
              value={entry.value}
              mode={mode}
              inList={false}
              onChange={(value) => replace(index, { ...entry, value })}
            />
            <button
              type="button"
              className="link kv-remove"
              data-testid="kv-remove"
              aria-label={`Remove ${entry.key}`}
              title="Remove this field"
              onClick={() => onChange(entries.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
          <div className="kv-value">
            <ValueControl
              value={entry.value}
              onChange={(value) => replace(index, { ...entry, value })}
            />
          </div>
          <NestedBody
            value={entry.value}
            mode={mode}
            onChange={(value) => replace(index, { ...entry, value })}
          />
        </div>
      ))}
      <button
        type="button"
        className="secondary small"
        data-testid="kv-add"
        onClick={() => onChange([...entries, { key: freshKey(entries), value: blankOf("text") }])}
      >
        + Add a field
      </button>
    </div>
  );
}

function ListEditor({
  items,
  mode,
  onChange,
}: {
  items: FormValue[];
  mode: Mode;
  onChange: (items: FormValue[]) => void;
}) {
  const replace = (index: number, item: FormValue): void =>
    onChange(items.map((v, i) => (i === index ? item : v)));
  return (
    <div className="kv-entries" data-testid="kv-list">
      {items.map((item, index) => (
        <div className="kv-entry kv-item" key={index} data-testid="kv-item">
          <div className="kv-head">
            <span className="kv-index muted small">Item {index + 1}</span>
            <KindSelect
              value={item}
              mode={mode}
              inList
              onChange={(value) => replace(index, value)}
            />
            <button
              type="button"
              className="link kv-remove"
              data-testid="kv-remove"
              title="Remove this item"
              onClick={() => onChange(items.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
          <div className="kv-value">
            <ValueControl value={item} onChange={(value) => replace(index, value)} />
          </div>
          <NestedBody value={item} mode={mode} onChange={(value) => replace(index, value)} />
        </div>
      ))}
      <button
        type="button"
        className="secondary small"
        data-testid="kv-add-item"
        onClick={() => onChange([...items, blankOf("text")])}
      >
        + Add an item
      </button>
    </div>
  );
}

const ARG_KINDS: { kind: IntrinsicArg["kind"]; label: string }[] = [
  { kind: "text", label: "Text" },
  { kind: "number", label: "Number" },
  { kind: "path", label: "From the data" },
  { kind: "boolean", label: "True / false" },
  { kind: "null", label: "Nothing (null)" },
  { kind: "call", label: "Function" },
];

function blankArg(kind: IntrinsicArg["kind"]): IntrinsicArg {
  switch (kind) {
    case "text":
      return { kind, text: "" };
    case "number":
      return { kind, number: 0 };
    case "path":
      return { kind, path: "$" };
    case "boolean":
      return { kind, value: false };
    case "null":
      return { kind };
    case "call":
      return { kind, call: { name: "States.UUID", args: [] } };
  }
}

function CallEditor({
  call,
  onChange,
}: {
  call: IntrinsicCall;
  onChange: (call: IntrinsicCall) => void;
}) {
  const spec = specOf(call.name);
  const labels = spec?.args ?? [];
  const labelOf = (i: number): string => labels[Math.min(i, labels.length - 1)] ?? `value ${i + 1}`;
  const replace = (index: number, arg: IntrinsicArg): void =>
    onChange({ ...call, args: call.args.map((a, i) => (i === index ? arg : a)) });
  const canAdd = spec?.variadic || (spec !== undefined && call.args.length < spec.args.length);
  return (
    <div className="kv-call" data-testid="kv-call">
      <div className="kv-call-head">
        <select
          aria-label="Function"
          data-testid="kv-function"
          value={call.name}
          onChange={(e) => onChange({ name: e.target.value, args: defaultArgs(e.target.value) })}
        >
          {!spec && <option value={call.name}>{call.name}</option>}
          {INTRINSICS.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name.replace("States.", "")}
            </option>
          ))}
        </select>
        {spec && <span className="field-hint">{spec.help}</span>}
      </div>
      {call.args.map((arg, index) => (
        <div className="kv-arg" key={index} data-testid="kv-arg">
          <div className="kv-arg-head">
            <span className="kv-arg-label small">{labelOf(index)}</span>
            <button
              type="button"
              className="link kv-remove"
              title="Remove this value"
              onClick={() => onChange({ ...call, args: call.args.filter((_, i) => i !== index) })}
            >
              ✕
            </button>
          </div>
          <div className="kv-arg-row">
            <select
              aria-label="Kind of value"
              data-testid="kv-arg-kind"
              value={arg.kind}
              onChange={(e) => replace(index, blankArg(e.target.value as IntrinsicArg["kind"]))}
            >
              {ARG_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
            <ArgControl
              arg={arg}
              algorithm={call.name === "States.Hash" && index === 1}
              onChange={(a) => replace(index, a)}
            />
          </div>
          {arg.kind === "call" && (
            <CallEditor
              call={arg.call}
              onChange={(c) => replace(index, { kind: "call", call: c })}
            />
          )}
        </div>
      ))}
      {canAdd && (
        <button
          type="button"
          className="secondary small"
          data-testid="kv-add-arg"
          onClick={() => onChange({ ...call, args: [...call.args, blankArg("path")] })}
        >
          + Add a value
        </button>
      )}
    </div>
  );
}

function ArgControl({
  arg,
  algorithm,
  onChange,
}: {
  arg: IntrinsicArg;
  algorithm: boolean;
  onChange: (arg: IntrinsicArg) => void;
}) {
  switch (arg.kind) {
    case "text":
      return algorithm ? (
        <select
          aria-label="Algorithm"
          value={arg.text}
          onChange={(e) => onChange({ kind: "text", text: e.target.value })}
        >
          {(HASH_ALGORITHMS.includes(arg.text)
            ? HASH_ALGORITHMS
            : [arg.text, ...HASH_ALGORITHMS]
          ).map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      ) : (
        <DraftInput
          value={arg.text}
          testId="kv-arg-text"
          aria-label="Text"
          onCommit={(text) => onChange({ kind: "text", text })}
        />
      );
    case "number":
      return (
        <DraftInput
          value={String(arg.number)}
          testId="kv-arg-number"
          aria-label="Number"
          validate={numberProblem}
          onCommit={(t) => onChange({ kind: "number", number: Number(t) })}
        />
      );
    case "path":
      return (
        <PathInput
          value={arg.path}
          testId="kv-arg-path"
          onCommit={(path) => onChange({ kind: "path", path: path || "$" })}
        />
      );
    case "boolean":
      return (
        <select
          aria-label="True or false"
          value={String(arg.value)}
          onChange={(e) => onChange({ kind: "boolean", value: e.target.value === "true" })}
        >
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case "null":
      return <span className="muted small">nothing</span>;
    case "call":
      return null;
  }
}

/**
 * A whole value with a Form / JSON switch. The form is offered only when it shows the value
 * exactly; otherwise the JSON box is the only view, so nothing changes unseen.
 */
export function ValueEditor({
  value,
  mode,
  onChange,
  testId,
  rootKinds,
  switchable = true,
}: {
  value: JsonValue;
  mode: Mode;
  onChange: (value: JsonValue | undefined) => void;
  testId?: string;
  /** The kinds the whole value may take; a group of fields when not given. */
  rootKinds?: ValueKind[];
  /** Offer its own Form | JSON switch (false where the panel around it has one). */
  switchable?: boolean;
}) {
  const fits = representable(value, mode);
  const [raw, setRaw] = useState(false);
  const form = toForm(value, mode);
  const set = (v: FormValue): void => onChange(fromForm(v, mode));
  const kinds = rootKinds ?? ["object"];
  return (
    <div className="value-editor" data-testid={testId}>
      {switchable && (
        <div className="value-editor-switch">
          <button
            type="button"
            className={`link small${raw || !fits ? "" : " active"}`}
            disabled={!fits}
            onClick={() => setRaw(false)}
          >
            Form
          </button>
          <button
            type="button"
            className={`link small${raw || !fits ? " active" : ""}`}
            data-testid="raw-toggle"
            onClick={() => setRaw(true)}
          >
            JSON
          </button>
        </div>
      )}
      {raw || !fits ? (
        <RawJson value={value} onChange={onChange} />
      ) : (
        <>
          {kinds.length > 1 && (
            <div className="kv-root">
              <select
                className="kv-kind"
                aria-label="Kind of value"
                data-testid="kv-root-kind"
                value={form.kind}
                onChange={(e) => set(blankOf(e.target.value as ValueKind, form))}
              >
                {(kinds.includes(form.kind) ? kinds : [...kinds, form.kind]).map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
              <ValueControl value={form} onChange={set} />
            </div>
          )}
          {kinds.length === 1 && form.kind !== "object" && form.kind !== "list" ? (
            <ValueControl value={form} onChange={set} />
          ) : (
            <NestedBody value={form} mode={mode} onChange={set} />
          )}
          {form.kind === "expression" && mode === "jsonata" && <JsonataHelp />}
        </>
      )}
    </div>
  );
}

function RawJson({
  value,
  onChange,
}: {
  value: JsonValue;
  onChange: (value: JsonValue | undefined) => void;
}) {
  const text = JSON.stringify(value, null, 2);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(text);
  if (shown !== text) {
    setShown(text);
    setDraft(text);
  }
  return (
    <div className="field">
      <textarea
        rows={Math.min(12, text.split("\n").length + 1)}
        value={draft}
        spellCheck={false}
        data-testid="raw-json"
        aria-label="As JSON"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft === text) return;
          const message = problemOf("json", draft);
          setError(message);
          const parsed = textToValue("json", draft);
          if (message === null && "value" in parsed && parsed.value !== undefined)
            onChange(parsed.value);
        }}
      />
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

/** A state field edited with the key–value editor; absent until the user adds it. */
export function ValueField({
  name,
  state,
  field,
  label,
  mode,
  hint,
  rootKinds,
  empty = {},
}: {
  name: string;
  state: StateDefinition;
  field: string;
  label: string;
  mode: Mode;
  hint?: ReactNode;
  rootKinds?: ValueKind[];
  /** The value a newly added field starts with. */
  empty?: JsonValue;
}) {
  const edit = useScopedEdit();
  const key = useStateKey(name);
  const diagnostics = useGraph((s) => s.diagnostics);
  const problems = fieldDiagnostics(diagnostics, key, field);
  const value = state[field];
  const set = (v: JsonValue | undefined): void => {
    edit((d) => edits.setField(d, name, field, v));
  };
  const id = `field-${field.toLowerCase()}`;
  return (
    <div className={`field value-field${problems.length ? " field-invalid" : ""}`} data-testid={id}>
      <div className="value-field-head">
        <span className="label">{label}</span>
        {value === undefined ? (
          <button
            type="button"
            className="secondary small"
            data-testid={`add-${id}`}
            onClick={() => set(empty)}
          >
            Add
          </button>
        ) : (
          <button
            type="button"
            className="link small"
            data-testid={`clear-${id}`}
            onClick={() => set(undefined)}
          >
            Remove
          </button>
        )}
      </div>
      {hint && <p className="field-hint">{hint}</p>}
      {value !== undefined && (
        <ValueEditor value={value} mode={mode} onChange={set} rootKinds={rootKinds} />
      )}
      {problems.length > 0 && (
        <ul className="field-problems">
          {problems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
