// Form controls for the fields of each state type beyond name, type and transitions: a value
// that is fixed or read from the data (TimeoutSeconds / TimeoutSecondsPath...), the Wait's
// duration, the Fail's error, a Map's items and limits, the query language. Fields follow
// the ASL spec (https://states-language.net) and the AWS state pages it links.
import type { ReactNode } from "react";
import * as edits from "../asl/edits";
import { fieldDiagnostics } from "../asl/pointer";
import { isObject, type JsonObject, type JsonValue, type StateDefinition } from "../asl/types";
import type { Mode } from "../asl/valueModel";
import { useGraph } from "../store";
import { DraftInput } from "./DraftInput";
import { JsonataHelp } from "./JsonataHelp";
import { PathInput } from "./PathPicker";
import { ResultPathField } from "./ResultPathField";
import { useScopedEdit, useStateKey } from "./scope";
import { SelectField } from "./fields";
import { ValueField } from "./ValueEditor";

export type Language = "JSONPath" | "JSONata";

/** The query language a state uses: its own, else the machine's, else JSONPath. */
export function languageOf(machine: JsonValue | undefined, state: StateDefinition): Language {
  const own = state["QueryLanguage"];
  if (own === "JSONata" || own === "JSONPath") return own;
  return machine === "JSONata" ? "JSONata" : "JSONPath";
}

export const modeOf = (language: Language): Mode =>
  language === "JSONata" ? "jsonata" : "jsonpath";

function useFieldSetter(name: string) {
  const edit = useScopedEdit();
  return (changes: Record<string, JsonValue | undefined>): void => {
    edit((d) =>
      Object.entries(changes).reduce(
        (acc, [field, value]) => edits.setField(acc, name, field, value),
        d,
      ),
    );
  };
}

function useProblems(name: string, fields: string[]) {
  const key = useStateKey(name);
  const diagnostics = useGraph((s) => s.diagnostics);
  return fields.flatMap((f) => fieldDiagnostics(diagnostics, key, f));
}

function Shell({
  label,
  hint,
  problems,
  children,
  testId,
}: {
  label: string;
  hint?: ReactNode;
  problems: { message: string }[];
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`field${problems.length ? " field-invalid" : ""}`} data-testid={testId}>
      <span className="label">{label}</span>
      {children}
      {hint && <p className="field-hint">{hint}</p>}
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

/** ResultPath in words (replace, keep beside under a name, drop), a path for who wants one. */
export function ResultPathForm({
  name,
  state,
  defaultKey,
}: {
  name: string;
  state: StateDefinition;
  defaultKey: string;
}) {
  const set = useFieldSetter(name);
  return (
    <ResultPathField
      value={state["ResultPath"]}
      defaultKey={defaultKey}
      problems={useProblems(name, ["ResultPath"])}
      onChange={(resultPath) => set({ ResultPath: resultPath })}
    />
  );
}

/** A path field (InputPath, ResultPath, ItemsPath...): picked from the data or typed. */
export function PathField({
  name,
  state,
  field,
  label,
  hint,
}: {
  name: string;
  state: StateDefinition;
  field: string;
  label: string;
  hint?: ReactNode;
}) {
  const set = useFieldSetter(name);
  const value = state[field];
  return (
    <Shell label={label} hint={hint} problems={useProblems(name, [field])}>
      <div className="path-field">
        <PathInput
          value={typeof value === "string" ? value : ""}
          testId={`field-${field.toLowerCase()}`}
          placeholder={value === null ? "nothing (null)" : "not set"}
          onCommit={(path) => set({ [field]: path === "" ? undefined : path })}
        />
      </div>
    </Shell>
  );
}

type Source = "unset" | "fixed" | "path" | "expression";

/**
 * A number (or text) that is either fixed or read from the data: `field` holds the fixed value
 * (or, in JSONata, an expression), `pathField` names its …Path twin, used in JSONPath only.
 */
export function FixedOrPathField({
  name,
  state,
  field,
  pathField: twin,
  label,
  language,
  kind = "count",
  hint,
}: {
  name: string;
  state: StateDefinition;
  field: string;
  pathField: string;
  label: string;
  language: Language;
  kind?: "count" | "decimal" | "text";
  hint?: ReactNode;
}) {
  const set = useFieldSetter(name);
  // The …Path twin exists only in JSONPath; JSONata writes an expression in the field itself.
  const pathField = language === "JSONPath" ? twin : null;
  const fixed = state[field];
  const path = pathField ? state[pathField] : undefined;
  const source: Source =
    typeof path === "string"
      ? "path"
      : typeof fixed === "string" && kind !== "text"
        ? "expression"
        : typeof fixed === "string" && /^\{%[\s\S]*%\}$/.test(fixed)
          ? "expression"
          : fixed === undefined
            ? "unset"
            : "fixed";
  const both: Record<string, undefined> = pathField
    ? { [field]: undefined, [pathField]: undefined }
    : { [field]: undefined };
  const options: { value: Source; label: string }[] = [
    { value: "unset", label: "Not set" },
    { value: "fixed", label: kind === "text" ? "This text" : "Fixed" },
    ...(language === "JSONPath" && pathField
      ? [{ value: "path" as Source, label: "From the data" }]
      : []),
    ...(language === "JSONata" ? [{ value: "expression" as Source, label: "An expression" }] : []),
  ];
  const choose = (next: Source): void => {
    if (next === "unset") set(both);
    if (next === "fixed") set({ ...both, [field]: kind === "text" ? "" : 60 });
    if (next === "path" && pathField) set({ ...both, [pathField]: "$" });
    if (next === "expression") set({ ...both, [field]: "{% $states.input %}" });
  };
  const numberProblem = (t: string): string | null => {
    const n = Number(t);
    if (t.trim() === "" || !Number.isFinite(n)) return "Enter a number.";
    if (kind === "count" && (!Number.isInteger(n) || n < 0))
      return "Enter a whole number of 0 or more.";
    return n < 0 ? "Enter a number of 0 or more." : null;
  };
  const id = `field-${field.toLowerCase()}`;
  return (
    <Shell
      label={label}
      hint={hint}
      problems={useProblems(name, pathField ? [field, pathField] : [field])}
      testId={`${id}-group`}
    >
      <div className="source-row">
        <select
          aria-label={`${label}: where it comes from`}
          data-testid={`${id}-source`}
          value={options.some((o) => o.value === source) ? source : "fixed"}
          onChange={(e) => choose(e.target.value as Source)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {source === "fixed" && (
          <DraftInput
            value={typeof fixed === "string" ? fixed : JSON.stringify(fixed)}
            testId={id}
            aria-label={label}
            validate={kind === "text" ? undefined : numberProblem}
            onCommit={(t) => set({ [field]: kind === "text" ? t : Number(t) })}
          />
        )}
        {source === "path" && pathField && (
          <PathInput
            value={typeof path === "string" ? path : ""}
            testId={`field-${pathField.toLowerCase()}`}
            onCommit={(p) => set({ [pathField]: p || "$" })}
          />
        )}
        {source === "expression" && (
          <DraftInput
            value={String(fixed)}
            testId={id}
            aria-label={`${label} expression`}
            onCommit={(t) => set({ [field]: t })}
          />
        )}
      </div>
      {source === "expression" && <JsonataHelp />}
    </Shell>
  );
}

/** The Wait state: a number of seconds or a time, fixed or from the data. */
export function WaitFields({
  name,
  state,
  language,
}: {
  name: string;
  state: StateDefinition;
  language: Language;
}) {
  const set = useFieldSetter(name);
  const fields = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
  const current = fields.find((f) => f in state) ?? "Seconds";
  const none = Object.fromEntries(fields.map((f) => [f, undefined]));
  const value = state[current];
  const starts: Record<string, JsonValue> = {
    Seconds: 10,
    Timestamp: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z"),
    SecondsPath: "$",
    TimestampPath: "$",
  };
  const options = [
    { value: "Seconds", label: "A number of seconds" },
    { value: "Timestamp", label: "Until a date and time" },
    ...(language === "JSONPath"
      ? [
          { value: "SecondsPath", label: "Seconds taken from the data" },
          { value: "TimestampPath", label: "A time taken from the data" },
        ]
      : []),
  ];
  const isExpression = typeof value === "string" && value.startsWith("{%");
  return (
    <Shell label="Wait" problems={useProblems(name, fields)} testId="wait-fields">
      <div className="stack-row">
        <select
          aria-label="How long to wait"
          data-testid="wait-kind"
          value={current}
          onChange={(e) => set({ ...none, [e.target.value]: starts[e.target.value] })}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {current.endsWith("Path") ? (
          <PathInput
            value={typeof value === "string" ? value : ""}
            testId={`field-${current.toLowerCase()}`}
            onCommit={(p) => set({ [current]: p || "$" })}
          />
        ) : (
          <DraftInput
            value={typeof value === "string" ? value : JSON.stringify(value ?? "")}
            testId={`field-${current.toLowerCase()}`}
            aria-label={current === "Seconds" ? "Seconds" : "Date and time"}
            placeholder={current === "Seconds" ? "10" : "2030-01-31T09:00:00Z"}
            validate={(t) => {
              if (t.startsWith("{%"))
                return language === "JSONata" ? null : "Expressions need JSONata.";
              if (current === "Seconds")
                return /^\d+$/.test(t.trim()) ? null : "Enter a whole number of seconds.";
              return Number.isNaN(Date.parse(t))
                ? "Enter a time such as 2030-01-31T09:00:00Z."
                : null;
            }}
            onCommit={(t) =>
              set({
                [current]: current === "Seconds" && !t.startsWith("{%") ? Number(t.trim()) : t,
              })
            }
          />
        )}
      </div>
      {(isExpression || language === "JSONata") && <JsonataHelp />}
    </Shell>
  );
}

/** Which language the state's expressions use (QueryLanguage). */
export function QueryLanguageField({
  name,
  state,
  machineLanguage,
}: {
  name: string;
  state: StateDefinition;
  machineLanguage: Language;
}) {
  const set = useFieldSetter(name);
  const own = state["QueryLanguage"];
  return (
    <SelectField
      label="Expressions"
      value={typeof own === "string" ? own : ""}
      testId="field-querylanguage"
      options={[
        { value: "", label: `As the machine (${machineLanguage})` },
        { value: "JSONPath", label: "JSONPath (paths such as $.order.total)" },
        { value: "JSONata", label: "JSONata (expressions in {% %})" },
      ]}
      onChange={(v) => set({ QueryLanguage: v === "" ? undefined : v })}
      problems={useProblems(name, ["QueryLanguage"])}
    />
  );
}

/** Map: what it iterates over, how many at once, how many failures it tolerates. */
export function MapFields({
  name,
  state,
  language,
}: {
  name: string;
  state: StateDefinition;
  language: Language;
}) {
  const mode = modeOf(language);
  const set = useFieldSetter(name);
  const field = "ItemProcessor" in state || !("Iterator" in state) ? "ItemProcessor" : "Iterator";
  const processor = isObject(state[field]) ? (state[field] as JsonObject) : {};
  const config = isObject(processor["ProcessorConfig"]) ? processor["ProcessorConfig"] : {};
  const distributed = config["Mode"] === "DISTRIBUTED";
  const setMode = (value: string): void => {
    const next: JsonObject = { ...processor };
    if (value === "DISTRIBUTED")
      next["ProcessorConfig"] = { ...config, Mode: "DISTRIBUTED", ExecutionType: "STANDARD" };
    else delete next["ProcessorConfig"];
    set({ [field]: next });
  };
  return (
    <>
      <SelectField
        label="How it runs"
        value={distributed ? "DISTRIBUTED" : "INLINE"}
        testId="field-map-mode"
        options={[
          { value: "INLINE", label: "Inside this run (up to 40 at once)" },
          { value: "DISTRIBUTED", label: "Distributed (a child run per item)" },
        ]}
        onChange={setMode}
        hint={
          distributed
            ? undefined
            : "Tolerated failures and reading items from files need the distributed mode."
        }
      />
      {language === "JSONPath" ? (
        <PathField
          name={name}
          state={state}
          field="ItemsPath"
          label="Items: the list to go through"
          hint="Pick a list in the data. Not set: the whole input, which must be a list."
        />
      ) : (
        <ValueField
          name={name}
          state={state}
          field="Items"
          label="Items: the list to go through"
          mode={mode}
          rootKinds={["list", "path", "expression"]}
          empty="{% $states.input %}"
          hint="A list, or a value from the data that is a list."
        />
      )}
      <ValueField
        name={name}
        state={state}
        field="ItemSelector"
        label="What each step gets"
        mode={mode}
        hint={
          language === "JSONPath"
            ? "Not set: the item itself. The item is at $$.Map.Item.Value in “From the data”."
            : "Not set: the item itself ($states.context.Map.Item.Value)."
        }
      />
      <FixedOrPathField
        name={name}
        state={state}
        field="MaxConcurrency"
        pathField="MaxConcurrencyPath"
        label="At most this many at once"
        language={language}
        hint="0 or not set: no limit."
      />
      {distributed && (
        <>
          <FixedOrPathField
            name={name}
            state={state}
            field="ToleratedFailureCount"
            pathField="ToleratedFailureCountPath"
            label="Failures tolerated (count)"
            language={language}
          />
          <FixedOrPathField
            name={name}
            state={state}
            field="ToleratedFailurePercentage"
            pathField="ToleratedFailurePercentagePath"
            label="Failures tolerated (percent)"
            language={language}
            kind="decimal"
          />
          <ValueField
            name={name}
            state={state}
            field="ItemReader"
            label="Read the items from a file (ItemReader)"
            mode={mode}
            empty={{
              Resource: "arn:aws:states:::s3:getObject",
              ReaderConfig: { InputType: "JSON" },
              [language === "JSONPath" ? "Parameters" : "Arguments"]: { Bucket: "", Key: "" },
            }}
          />
          <ValueField
            name={name}
            state={state}
            field="ResultWriter"
            label="Write the results to a file (ResultWriter)"
            mode={mode}
            empty={{
              Resource: "arn:aws:states:::s3:putObject",
              [language === "JSONPath" ? "Parameters" : "Arguments"]: { Bucket: "", Prefix: "" },
            }}
          />
        </>
      )}
    </>
  );
}

/** Task: how long it may take and how often it must say it is alive. */
export function TaskLimits({
  name,
  state,
  language,
}: {
  name: string;
  state: StateDefinition;
  language: Language;
}) {
  return (
    <>
      <FixedOrPathField
        name={name}
        state={state}
        field="TimeoutSeconds"
        pathField="TimeoutSecondsPath"
        label="Timeout (seconds)"
        language={language}
        hint="Left unset, the task may run for about three years; past its timeout it fails with States.Timeout."
      />
      <FixedOrPathField
        name={name}
        state={state}
        field="HeartbeatSeconds"
        pathField="HeartbeatSecondsPath"
        label="Heartbeat (seconds)"
        language={language}
        hint="A task that says nothing for this long fails with States.HeartbeatTimeout."
      />
    </>
  );
}

/** Fail: the error name and cause, fixed or from the data. */
export function FailFields({
  name,
  state,
  language,
}: {
  name: string;
  state: StateDefinition;
  language: Language;
}) {
  return (
    <>
      <FixedOrPathField
        name={name}
        state={state}
        field="Error"
        pathField="ErrorPath"
        label="Error name"
        language={language}
        kind="text"
        hint="A short name for what went wrong, e.g. OutOfStock."
      />
      <FixedOrPathField
        name={name}
        state={state}
        field="Cause"
        pathField="CausePath"
        label="Cause"
        language={language}
        kind="text"
        hint="Words for a person reading the run."
      />
    </>
  );
}

/** The errors ASL names (https://states-language.net/#appendix-a), for the error menus. */
export const STATES_ERRORS = [
  "States.ALL",
  "States.TaskFailed",
  "States.Timeout",
  "States.HeartbeatTimeout",
  "States.Permissions",
  "States.Runtime",
  "States.DataLimitExceeded",
  "States.ResultPathMatchFailure",
  "States.ParameterPathFailure",
  "States.QueryEvaluationError",
  "States.IntrinsicFailure",
  "States.BranchFailed",
  "States.NoChoiceMatched",
  "States.ExceedToleratedFailureThreshold",
  "States.ItemReaderFailed",
  "States.ResultWriterFailed",
  "States.Http.Socket",
];

/** A menu that adds a States.* error to an ErrorEquals list. */
export function ErrorMenu({
  errors,
  onChange,
  testId,
}: {
  errors: string[];
  onChange: (errors: string[]) => void;
  testId: string;
}) {
  return (
    <div className="error-picker">
      <select
        aria-label="Add a built-in error"
        data-testid={testId}
        value=""
        onChange={(e) => {
          const picked = e.target.value;
          if (!picked) return;
          // States.ALL must stand alone (and last): choosing it replaces the others.
          onChange(
            picked === "States.ALL"
              ? ["States.ALL"]
              : [...errors.filter((x) => x !== "States.ALL"), picked],
          );
        }}
      >
        <option value="">Add a built-in error…</option>
        {STATES_ERRORS.filter((e) => !errors.includes(e)).map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
      </select>
    </div>
  );
}
