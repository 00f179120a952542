// JSON as a person reads it: indented, objects and arrays folding open and shut, with a copy
// button. Text that holds JSON (the history's input and output fields) is shown as that JSON,
// never as an escaped string.
import "./JsonView.css";
import { useState } from "react";

/** The value a text stands for, when it is JSON; else the text itself. */
export function parsed(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">"{value}"</span>;
  if (typeof value === "number") return <span className="json-number">{value}</span>;
  if (typeof value === "boolean") return <span className="json-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({
  name,
  value,
  depth,
  inArray = false,
}: {
  name?: string;
  value: unknown;
  depth: number;
  inArray?: boolean;
}) {
  const composite = value !== null && typeof value === "object";
  // Deep levels start closed: a large payload opens at a readable size.
  const [open, setOpen] = useState(depth < 2);
  // Keys as JSON writes them ("name": 1); array items by their index (0: 1).
  const label =
    name === undefined ? null : (
      <span className="json-key">{inArray ? `${name}: ` : `"${name}": `}</span>
    );
  if (!composite)
    return (
      <div className="json-line">
        {label}
        <Scalar value={value} />
      </div>
    );
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const [start, end] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0)
    return (
      <div className="json-line">
        {label}
        {start}
        {end}
      </div>
    );
  return (
    <div className="json-node">
      <button
        type="button"
        className="json-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="json-caret">{open ? "▾" : "▸"}</span>
        {label}
        {start}
        {!open && (
          <span className="json-summary">
            {" "}
            {entries.length} {Array.isArray(value) ? "items" : "fields"} {end}
          </span>
        )}
      </button>
      {open && (
        <>
          <div className="json-children">
            {entries.map(([key, child]) => (
              <Node
                key={key}
                name={key}
                value={child}
                depth={depth + 1}
                inArray={Array.isArray(value)}
              />
            ))}
          </div>
          <div className="json-line">{end}</div>
        </>
      )}
    </div>
  );
}

export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const shown = parsed(value);
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    const text = JSON.stringify(shown, null, 2);
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="json-view" data-testid={testId} data-json={JSON.stringify(shown)}>
      <button type="button" className="json-copy" onClick={copy} title="Copy as JSON">
        {copied ? "Copied" : "Copy"}
      </button>
      <Node value={shown} depth={0} />
    </div>
  );
}
