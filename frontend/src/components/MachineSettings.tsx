// What belongs to the whole machine rather than a state: its query language and the sample
// input the path picker and the run form start from (kept on the server, for everyone).
import { useGraph } from "../store";
import { SelectField } from "./fields";
import { JsonataHelp } from "./JsonataHelp";
import { PastRunPicker } from "./PastRunPicker";
import { useSample, useSampleData } from "./sampleData";
import { ValueEditor } from "./ValueEditor";

const PLAIN = ["object", "list", "text", "number", "boolean", "null"] as const;

export function MachineSettings() {
  const machine = useGraph((s) => s.machineName);
  const language = useGraph((s) => s.definition["QueryLanguage"]);
  const edit = useGraph((s) => s.edit);
  const sample = useSample(machine);
  const setSample = useSampleData((s) => s.setSample);
  const sampleError = useSampleData((s) => s.sampleError);
  return (
    <section className="machine-settings" data-testid="machine-settings">
      <h3>This machine</h3>
      <SelectField
        label="Expressions"
        value={language === "JSONata" ? "JSONata" : "JSONPath"}
        testId="machine-querylanguage"
        options={[
          { value: "JSONPath", label: "JSONPath (paths such as $.order.total)" },
          { value: "JSONata", label: "JSONata (expressions in {% %})" },
        ]}
        onChange={(v) =>
          edit((d) => {
            const next = { ...d };
            if (v === "JSONata") next["QueryLanguage"] = "JSONata";
            else delete next["QueryLanguage"];
            return next;
          })
        }
      />
      {language === "JSONata" && <JsonataHelp />}
      <div className="field sample-input" data-testid="sample-input">
        <div className="value-field-head">
          <span className="label">Sample input</span>
          <PastRunPicker
            machine={machine}
            onPick={(value) => setSample(machine, value)}
            testId="sample-from-run"
          />
          {sample === undefined ? (
            <button
              type="button"
              className="secondary small"
              data-testid="add-sample-input"
              onClick={() => setSample(machine, {})}
            >
              Give one
            </button>
          ) : (
            <button
              type="button"
              className="link small"
              data-testid="remove-sample-input"
              onClick={() => setSample(machine, undefined)}
            >
              Remove
            </button>
          )}
        </div>
        <p className="field-hint">
          Data like a real run’s. The designer shows it at each state so you can pick values from
          it, and the run form starts from it.
        </p>
        {sampleError && (
          <p className="field-error" role="alert" data-testid="sample-error">
            The sample input could not be kept: {sampleError}
          </p>
        )}
        {sample !== undefined && (
          <ValueEditor
            value={sample}
            mode="literal"
            rootKinds={[...PLAIN]}
            onChange={(v) => setSample(machine, v)}
            testId="sample-editor"
          />
        )}
      </div>
    </section>
  );
}
