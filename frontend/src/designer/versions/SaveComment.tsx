// What a save says changed: a comment beside the Save button, carried by the version it makes
// and shown in the history.
import { create } from "zustand";
import { useGraph } from "../../store";

const COMMENT_MAX = 256; // designer/actions.py check_comment

export const useSaveComment = create<{ text: string }>()(() => ({ text: "" }));

/** Saves with the comment typed, and clears it once the version is made. */
export async function saveWithComment(): Promise<void> {
  const before = useGraph.getState().version;
  const comment = useSaveComment.getState().text.trim();
  await useGraph.getState().save(comment || undefined);
  if (useGraph.getState().version !== before) useSaveComment.setState({ text: "" });
}

export function SaveComment() {
  const text = useSaveComment((s) => s.text);
  return (
    <input
      className="save-comment"
      data-testid="save-comment"
      aria-label="What changed (saved with the version)"
      placeholder="What changed? (optional)"
      maxLength={COMMENT_MAX}
      value={text}
      onChange={(e) => useSaveComment.setState({ text: e.target.value })}
      onKeyDown={(e) => {
        if (e.key === "Enter") void saveWithComment();
      }}
    />
  );
}
