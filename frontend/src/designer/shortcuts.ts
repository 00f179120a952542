// The designer's keyboard shortcuts: one list, which both the key handler and the `?` help
// panel read, so the panel cannot promise a key that does nothing.
import { useEffect } from "react";
import { copySelection, duplicate, paste } from "./clipboard";

export interface Shortcut {
  keys: string[];
  does: string;
}

/** Every shortcut, the ones handled elsewhere (React Flow, the page) included, for the panel. */
export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: "Editing",
    items: [
      {
        keys: ["Ctrl", "C"],
        does: "Copy the selected states (a Map or Parallel with its insides)",
      },
      { keys: ["Ctrl", "V"], does: "Paste them beside the selection, with new names" },
      { keys: ["Ctrl", "D"], does: "Duplicate the selected states" },
      { keys: ["Delete"], does: "Delete the selected states" },
      { keys: ["Ctrl", "Z"], does: "Undo" },
      { keys: ["Ctrl", "Shift", "Z"], does: "Redo (also Ctrl+Y)" },
      { keys: ["Ctrl", "S"], does: "Save as a new version" },
    ],
  },
  {
    group: "Selecting and moving",
    items: [
      { keys: ["Click"], does: "Select a state and open its form" },
      { keys: ["Shift", "Click"], does: "Add a state to the selection, or take it out" },
      { keys: ["Shift", "Drag"], does: "Draw a box on the canvas to select every state in it" },
      { keys: ["Drag"], does: "Move the selected states together" },
      { keys: ["Esc"], does: "Close this panel" },
      { keys: ["?"], does: "Show this panel" },
    ],
  },
];

function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element?.closest?.("input, textarea, select, [contenteditable=true]"));
}

/**
 * Copy, paste, duplicate and `?` on the designer page; keys typed into a field are its own.
 * "copy": only Ctrl+C (a viewer may copy into a machine they edit); "off": none of them.
 */
export function useDesignerShortcuts(
  clipboard: "all" | "copy" | "off",
  toggleHelp: (open?: boolean) => void,
): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typingIn(event.target)) return;
      if (event.key === "?" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        toggleHelp();
        return;
      }
      if (event.key === "Escape") {
        toggleHelp(false);
        return;
      }
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (clipboard === "off" || (clipboard === "copy" && key !== "c")) return;
      // Text selected on the page (a run's output, say) is the person's to copy.
      if (key === "c" && window.getSelection()?.toString()) return;
      const action =
        key === "c" ? copySelection : key === "v" ? paste : key === "d" ? duplicate : null;
      if (!action) return;
      event.preventDefault(); // Ctrl+D would bookmark the page
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [clipboard, toggleHelp]);
}
