// A path box with a "Pick" button: a popover shows the data the state would get on a run from
// the machine's sample input, as a tree; clicking a value picks its path. Typing stays possible.
import { useEffect, useRef, useState } from "react";
import { pathOf } from "../asl/valueModel";
import { isObject, type JsonValue } from "../asl/types";
import { useGraph } from "../store";
import { DraftInput } from "./DraftInput";
import { useSample, useSampleData } from "./sampleData";

export function PathInput({
  value,
  onCommit,
  testId = "path-input",
  placeholder = "pick a value",
}: {
  value: string;
  onCommit: (path: string) => void;
  testId?: string;
  placeholder?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <span className="path-input">
      <DraftInput
        value={value}
        onCommit={onCommit}
        testId={testId}
        placeholder={placeholder}
        aria-label="Path in the data"
        validate={(text) =>
          text === "" || text.startsWith("$") ? null : "A path starts with $ — or use Pick."
        }
      />
      <button
        type="button"
        className="secondary small"
        data-testid="pick-path"
        onClick={() => setOpen(!open)}
      >
        Pick…
      </button>
      {open && (
        <PathPopover
          onPick={(path) => {
            onCommit(path);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </span>
  );
}

function PathPopover({ onPick, onClose }: { onPick: (path: string) => void; onClose: () => void }) {
  const machine = useGraph((s) => s.machineName);
  const selected = useGraph((s) => s.selected);
  const definition = useGraph((s) => s.definition);
  const sample = useSample(machine);
  const shapes = useSampleData((s) => s.shapes);
  const loading = useSampleData((s) => s.loading);
  const error = useSampleData((s) => s.shapesError);
  const loadShapes = useSampleData((s) => s.loadShapes);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void loadShapes(machine, definition);
  }, [machine, definition, sample, loadShapes]);
  // The popover opens below its box: bring it into view in a panel scrolled near its end.
  useEffect(() => {
    box.current?.scrollIntoView?.({ block: "nearest" });
  }, []);
  useEffect(() => {
    const away = (e: MouseEvent): void => {
      if (box.current && !box.current.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [onClose]);

  const here = selected !== null ? shapes[selected] : undefined;
  const data = here ?? sample;
  return (
    <div className="path-popover" ref={box} data-testid="path-popover" role="dialog">
      {sample === undefined ? (
        <p className="field-hint">
          Give the machine a sample input (click an empty spot of the canvas, then “Sample input”)
          to pick from its data. You can also type a path such as $.customer.tier.
        </p>
      ) : (
        <>
          <p className="field-hint">
            {here !== undefined
              ? "The data this state gets on a run from the sample input:"
              : loading
                ? "Working out the data at this state…"
                : `A run from the sample input does not reach this state${error ? ` (${error})` : ""}; this is the sample input:`}
          </p>
          <ul className="path-tree">
            <TreeNode label="All of it" segments={[]} value={data ?? null} onPick={onPick} />
          </ul>
        </>
      )}
    </div>
  );
}

function preview(value: JsonValue): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (isObject(value)) return "group";
  const text = JSON.stringify(value);
  return text.length > 30 ? `${text.slice(0, 29)}…` : text;
}

function TreeNode({
  label,
  segments,
  value,
  onPick,
}: {
  label: string;
  segments: (string | number)[];
  value: JsonValue;
  onPick: (path: string) => void;
}) {
  const path = pathOf(segments);
  const children: [string | number, JsonValue][] = Array.isArray(value)
    ? value.slice(0, 20).map((v, i) => [i, v])
    : isObject(value)
      ? Object.entries(value).slice(0, 100)
      : [];
  return (
    <li>
      <button
        type="button"
        className="path-option"
        data-testid="path-option"
        data-path={path}
        title={path}
        onClick={() => onPick(path)}
      >
        <span className="path-key">{label}</span> <span className="muted">{preview(value)}</span>
      </button>
      {children.length > 0 && segments.length < 12 && (
        <ul>
          {children.map(([k, v]) => (
            <TreeNode
              key={String(k)}
              label={typeof k === "number" ? `item ${k + 1}` : k}
              segments={[...segments, k]}
              value={v}
              onPick={onPick}
            />
          ))}
        </ul>
      )}
    </li>
  );
}
