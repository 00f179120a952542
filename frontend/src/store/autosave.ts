// Keeps the machine's server-side draft up to date while the designer is open: a save a
// second after the last edit (valid or not), a check-in every few seconds that says who else
// is editing and notices their saves, and a last save when the tab closes.
import { api, ApiError, type Draft } from "../api";
import { allStateKeys } from "../asl/scopes";
import type { Layout } from "../asl/types";
import { messageOf, snapshot } from "./derive";
import { clockTime, draftSnapshot, onDraftSettled, storedLayout, useDraft } from "./draftState";
import { useGraph } from "./index";

const AUTOSAVE_DELAY_MS = 1000;
/** Well inside designer/drafts.py's PRESENCE_SECONDS, so an open designer never drops out. */
const CHECK_IN_MS = 5000;

function layoutToKeep(): Layout {
  const { definition, positions, collapsed } = useGraph.getState();
  return storedLayout(positions, new Set(allStateKeys(definition)), collapsed);
}

function conflictWith(theirs: Draft): { theirs: Draft; message: string } {
  const who = theirs.mine ? "You" : (theirs.updated_by ?? "Someone");
  const where = theirs.mine ? " in another tab" : "";
  return {
    theirs,
    message: `${who} changed this draft${where} at ${clockTime(theirs.updated_at)} while you were editing.`,
  };
}

let sendNow: () => void = () => undefined;

/** Starts keeping the draft of `machine`; returns what stops it. */
export function startDrafts(machine: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const push = async (keepalive = false): Promise<void> => {
    const graph = useGraph.getState();
    const draft = useDraft.getState();
    if (stopped || graph.loading || graph.machineName !== machine || draft.conflict) return;
    const sending = draftSnapshot(graph);
    if (sending === draft.sentSnapshot) {
      if (draft.status === "pending")
        useDraft.setState({ status: draft.revision ? "saved" : "idle" });
      return;
    }
    // Back where the published version is (an undo, say): there is nothing to keep.
    const atVersion =
      !graph.codeError && snapshot(graph.definition, graph.positions) === graph.savedSnapshot;
    if (atVersion && draft.revision === 0) {
      useDraft.setState({ status: "idle", sentSnapshot: sending });
      return;
    }
    useDraft.setState({ status: "saving" });
    try {
      if (atVersion) {
        await api.discardDraft(machine, draft.revision);
        useDraft.setState({ revision: 0, status: "idle", restored: null, sentSnapshot: sending });
        return;
      }
      const answer = await api.saveDraft(
        machine,
        {
          definition: graph.codeError ? graph.codeText : graph.definition,
          layout: layoutToKeep(),
          base_version: graph.version,
        },
        draft.revision,
        keepalive,
      );
      useDraft.setState({
        revision: answer.draft?.revision ?? 0,
        status: "saved",
        savedAt: answer.draft?.updated_at ?? null,
        error: null,
        editors: answer.editors,
        sentSnapshot: sending,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const theirs = (error.body["draft"] ?? null) as Draft | null;
        if (theirs === null) {
          // Published or discarded meanwhile: this work starts a new draft, overwriting nobody.
          useDraft.setState({ revision: 0 });
          schedule();
          return;
        }
        useDraft.setState({ status: "error", error: null, conflict: conflictWith(theirs) });
        return;
      }
      useDraft.setState({ status: "error", error: messageOf(error) });
    }
  };

  const flush = (keepalive = false): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    chain = chain.then(() => push(keepalive));
    return chain;
  };

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  }

  const unsubscribe = useGraph.subscribe((state, previous) => {
    // Opening the machine changes everything but is no edit.
    if (state.loading || previous.loading || state.machineName !== machine) return;
    const changed =
      state.definition !== previous.definition ||
      state.positions !== previous.positions ||
      state.codeText !== previous.codeText ||
      state.collapsed !== previous.collapsed;
    if (!changed) return;
    if (useDraft.getState().status !== "pending") useDraft.setState({ status: "pending" });
    schedule();
  });

  const checkIn = async (): Promise<void> => {
    if (useGraph.getState().loading) return;
    const answer = await api.draft(machine).catch(() => null);
    if (stopped || !answer) return;
    const draft = useDraft.getState();
    useDraft.setState({ editors: answer.editors });
    const theirs = answer.draft;
    // A save of ours on its way would make this answer stale.
    if (draft.status === "saving" || draft.conflict || timer !== undefined) return;
    if (theirs && theirs.revision !== draft.revision) {
      useDraft.setState({ conflict: conflictWith(theirs) });
    } else if (!theirs && draft.revision) {
      // Published or discarded by someone else: what is shown here is kept as a new draft.
      useDraft.setState({ revision: 0, sentSnapshot: "" });
      void flush();
    }
  };
  const checking = setInterval(() => void checkIn(), CHECK_IN_MS);

  // A closing tab gets no second: its last edits go now, on a request that outlives it.
  const onHide = (): void => void flush(true);
  const onVisibility = (): void => {
    if (document.visibilityState === "hidden") void flush(true);
  };
  window.addEventListener("pagehide", onHide);
  document.addEventListener("visibilitychange", onVisibility);
  sendNow = () => void flush();
  onDraftSettled(async () => {
    await flush();
    return useDraft.getState().revision;
  });

  return () => {
    void flush(true);
    stopped = true;
    unsubscribe();
    clearInterval(checking);
    window.removeEventListener("pagehide", onHide);
    document.removeEventListener("visibilitychange", onVisibility);
    sendNow = () => undefined;
  };
}

/** Takes the other editor's draft: it replaces what is shown (undo brings this one back). */
export function loadTheirs(): void {
  const conflict = useDraft.getState().conflict;
  if (!conflict?.theirs) return;
  const { theirs } = conflict;
  const graph = useGraph.getState();
  if (theirs.definition) graph.adopt(theirs.definition, { ...graph.positions, ...theirs.layout });
  else graph.setCodeText(theirs.code);
  useDraft.setState({
    conflict: null,
    revision: theirs.revision,
    status: "saved",
    savedAt: theirs.updated_at,
    sentSnapshot: draftSnapshot(useGraph.getState()),
  });
}

/** Keeps this designer's work: the next save goes over theirs, now that it was seen. */
export function keepMine(): void {
  const conflict = useDraft.getState().conflict;
  if (!conflict) return;
  useDraft.setState({ conflict: null, revision: conflict.theirs?.revision ?? 0, sentSnapshot: "" });
  sendNow();
}

/** Throws the draft away and opens the published version again. */
export async function discardDraft(): Promise<void> {
  const { machineName } = useGraph.getState();
  const { revision } = useDraft.getState();
  try {
    if (revision) await api.discardDraft(machineName, revision);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const theirs = (error.body["draft"] ?? null) as Draft | null;
      if (theirs) useDraft.setState({ conflict: conflictWith(theirs) });
      return;
    }
    useGraph.setState({ notice: { kind: "error", text: messageOf(error) } });
    return;
  }
  await useGraph.getState().loadMachine(machineName);
}
