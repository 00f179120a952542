// JSON as a person reads it: formatted, with objects and lists folding open and shut, and a
// copy button; never an escaped string.
import { useState } from "react";

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">“{value}”</span>;
  if (typeof value === "number") return <span className="json-number">{value}</span>;
  if (typeof value === "boolean") return <span className="json-bool">{value ? "yes" : "no"}</span>;
  return <span>{String(value)}</span>;
}

function Node({ label, value, depth }: { label: string | null; value: unknown; depth: number }) {
  const isList = Array.isArray(value);
  if (value === null || typeof value !== "object") {
    return (
      <li>
        {label !== null && <span className="json-key">{label}: </span>}
        <Leaf value={value} />
      </li>
    );
  }
  const entries: [string, unknown][] = isList
    ? (value as unknown[]).map((v, i) => [`${i + 1}`, v])
    : Object.entries(value as Record<string, unknown>);
  const size = isList
    ? `${entries.length} item${entries.length === 1 ? "" : "s"}`
    : `${entries.length} field${entries.length === 1 ? "" : "s"}`;
  return (
    <li>
      <details open={depth < 2}>
        <summary>
          {label !== null && <span className="json-key">{label}</span>}{" "}
          <span className="muted small">{size}</span>
        </summary>
        {entries.length > 0 && (
          <ul>
            {entries.map(([key, child]) => (
              <Node key={key} label={key} value={child} depth={depth + 1} />
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}

export function JsonTree({ value, testId }: { value: unknown; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    void navigator.clipboard?.writeText(JSON.stringify(value, null, 2)).then(() => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    });
  };
  const scalar = value === null || typeof value !== "object";
  return (
    <div className="json-tree" data-testid={testId}>
      <button type="button" className="json-copy secondary" onClick={copy}>
        {copied ? "Copied" : "Copy"}
      </button>
      <ul>
        {scalar ? (
          <li>
            <Leaf value={value} />
          </li>
        ) : (
          Object.entries(value as Record<string, unknown>).map(([key, child]) => (
            <Node
              key={key}
              label={Array.isArray(value) ? `${Number(key) + 1}` : key}
              value={child}
              depth={1}
            />
          ))
        )}
      </ul>
    </div>
  );
}
