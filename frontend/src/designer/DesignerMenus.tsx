// The designer header's Edit and File menus: copy/paste/duplicate, import a file, export the
// canvas as drawn (PNG, SVG) or the saved version as graphviz draws it.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useGraph } from "../store";
import { copySelection, duplicate, paste, selectedStates } from "./clipboard";
import { canvasSvg, downloadPng, downloadSvg } from "./exportImage";
import { importDefinitionFile } from "./importFile";
import "./designerTools.css";

function Menu({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
  return (
    <div className="menu" ref={box}>
      <button
        type="button"
        className="secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={testId}
        onClick={() => setOpen(!open)}
      >
        {label} ▾
      </button>
      {open && (
        <div className="menu-list" role="menu">
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

function Item({
  onClick,
  hint,
  testId,
  disabled,
  children,
}: {
  onClick: () => void;
  hint?: string;
  testId: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="menuitem"
      className="menu-item"
      data-testid={testId}
      disabled={disabled}
      onClick={onClick}
    >
      <span>{children}</span>
      {hint && <kbd className="menu-hint">{hint}</kbd>}
    </button>
  );
}

/** ``editable`` false (a viewer): Copy stays, Paste and Duplicate are not offered. */
export function EditMenu({
  onShortcuts,
  editable,
}: {
  onShortcuts: () => void;
  editable: boolean;
}) {
  // Re-read when the selection changes, so Copy is offered only with something to copy.
  useGraph((s) => s.selected);
  useGraph((s) => s.nodes);
  const some = selectedStates().length > 0;
  return (
    <Menu label="Edit" testId="edit-menu">
      {(close) => (
        <>
          <Item
            testId="menu-copy"
            hint="Ctrl+C"
            disabled={!some}
            onClick={() => (copySelection(), close())}
          >
            Copy
          </Item>
          {editable && (
            <>
              <Item testId="menu-paste" hint="Ctrl+V" onClick={() => (paste(), close())}>
                Paste
              </Item>
              <Item
                testId="menu-duplicate"
                hint="Ctrl+D"
                disabled={!some}
                onClick={() => (duplicate(), close())}
              >
                Duplicate
              </Item>
            </>
          )}
          <hr />
          <Item testId="menu-shortcuts" hint="?" onClick={() => (onShortcuts(), close())}>
            Keyboard shortcuts
          </Item>
        </>
      )}
    </Menu>
  );
}

function exportedDrawing() {
  const { machineName, nodes, edges } = useGraph.getState();
  return { name: machineName, drawing: canvasSvg(machineName, nodes, edges) };
}

export function FileMenu({ machine, editable }: { machine: string; editable: boolean }) {
  const picker = useRef<HTMLInputElement>(null);
  const failed = (error: unknown) =>
    useGraph.setState({
      notice: {
        kind: "error",
        text: `Not exported: ${error instanceof Error ? error.message : String(error)}`,
      },
    });
  return (
    <>
      {editable && (
        <input
          ref={picker}
          type="file"
          accept=".json,.yaml,.yml,.asl,application/json,application/yaml,text/yaml"
          hidden
          data-testid="import-file-input"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = ""; // the same file again is a new import
            if (file) void importDefinitionFile(file);
          }}
        />
      )}
      <Menu label="File" testId="file-menu">
        {(close) => (
          <>
            {editable && (
              <Item testId="menu-import" onClick={() => (picker.current?.click(), close())}>
                Import a JSON or YAML file…{" "}
                <span className="menu-note">or drop it on the canvas</span>
              </Item>
            )}
            <Item
              testId="menu-export-png"
              onClick={() => {
                close();
                const { name, drawing } = exportedDrawing();
                downloadPng(drawing, `${name}.png`).catch(failed);
              }}
            >
              Export the canvas as PNG
            </Item>
            <Item
              testId="menu-export-svg"
              onClick={() => {
                close();
                const { name, drawing } = exportedDrawing();
                downloadSvg(drawing, `${name}.svg`);
              }}
            >
              Export the canvas as SVG
            </Item>
            <hr />
            <a
              role="menuitem"
              className="menu-item"
              data-testid="menu-export-graphviz"
              href={`/api/v1/state-machines/${encodeURIComponent(machine)}/graph.svg`}
              download={`${machine}-graphviz.svg`}
              onClick={close}
            >
              <span>Export the saved version, drawn by graphviz (SVG)</span>
            </a>
          </>
        )}
      </Menu>
    </>
  );
}
