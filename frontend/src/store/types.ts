// The shape of the one store that owns the graph (see store/index.ts).
import type { PaletteItem } from "../asl/approval";
import type { Connection, EdgeChange, NodeChange } from "@xyflow/react";
import type { StateNode, TransitionEdge } from "../asl/graph";
import type { RunView } from "../asl/runStatus";
import type {
  Definition,
  Diagnostic,
  Execution,
  HistoryEvent,
  Layout,
  MachineAction,
  PendingTask,
  Position,
  StateStatus,
} from "../asl/types";

export type Notice = { kind: "error" | "success"; text: string } | null;

/** A change that would cut something: the canvas asks before making it. */
export interface Confirmation {
  question: string;
  details: string[];
  confirmLabel: string;
  run(): void;
  /** What answering no undoes, if anything (a card dragged for a move goes back). */
  cancel?: () => void;
}

/** What undo brings back: the definition and where its states were drawn. */
export interface Revision {
  definition: Definition;
  positions: Layout;
}

export interface GraphStore {
  machineName: string;
  /** What this user may do with the machine; [] until it is loaded. */
  permissions: MachineAction[];
  version: number;
  definition: Definition;
  codeText: string;
  codeError: string | null;
  positions: Layout;
  savedSnapshot: string;
  nodes: StateNode[];
  edges: TransitionEdge[];
  selected: string | null;
  diagnostics: Diagnostic[];
  loading: boolean;
  loadError: string | null;
  saving: boolean;
  notice: Notice;
  run: RunView;
  events: HistoryEvent[];
  execution: Execution | null;
  runError: string | null;
  starting: boolean;
  /** What the run waits for, refreshed as its events arrive. */
  pendingTasks: PendingTask[];
  /** A stop, redrive or answer under way; the controls wait for it. */
  operating: boolean;
  /** Why the last stop, redrive or answer was refused, shown next to the controls. */
  operationError: string | null;
  past: Revision[];
  future: Revision[];
  /** Keys of the Map and Parallel states drawn folded up. */
  collapsed: string[];
  confirmation: Confirmation | null;
  /**
   * The states' colours as the server computed them (graph-status), for the run view: it
   * needs no history in the browser. ``past`` while the scrubber shows an earlier moment.
   */
  serverStatuses: { statuses: Record<string, StateStatus>; past: boolean } | null;
  showServerStatuses(shown: GraphStore["serverStatuses"]): void;

  loadMachine(name: string): Promise<void>;
  loadExecution(id: string): Promise<void>;
  edit(change: (definition: Definition) => Definition): boolean;
  setCodeText(text: string): void;
  select(name: string | null): void;
  /**
   * React Flow's changes to the cards. ``dragging`` says a drag is under way: the cards move
   * but the layout waits for the drop, so boxes keep their size and a card can leave by any side.
   */
  onNodesChange(changes: NodeChange<StateNode>[], dragging?: boolean): void;
  /** Cards let go in the box they started in take their new places; boxes fit them. */
  settleDrag(dropped: StateNode[]): void;
  onEdgesChange(changes: EdgeChange<TransitionEdge>[]): void;
  onConnect(connection: Connection): void;
  /**
   * Adds a state of a type to a scope (the top level by default), centred on a point relative
   * to the node that holds the scope (or below the others), and selects it.
   */
  addStateAt(type: PaletteItem, centre: Position | null, scope?: string): void;
  /** Renames a state at any depth: it keeps its place and every reference follows it. */
  renameState(key: string, name: string): boolean;
  /** Deletes states, asking first when something leads to them. */
  requestDelete(keys: string[]): void;
  /**
   * Moves states of one box (with what is inside them) into another box, or to the top level
   * (""), asking first when something in the box they leave leads to them. The first lands at
   * ``at`` (relative to the box), or where the layout finds room. A drag gives the positions
   * from ``before`` it, to go back to when the move is not made.
   */
  moveStates(keys: string[], to: string, at?: Position, before?: Layout): void;
  toggleCollapsed(key: string): void;
  addBranch(parallel: string): void;
  removeBranch(parallel: string, index: number): void;
  answerConfirmation(confirmed: boolean): void;
  autoLayout(): Promise<void>;
  /** Publishes the definition as a new version, with what changed in `comment`. */
  save(comment?: string): Promise<void>;
  /** Starts a run of the saved machine; ``name`` is AWS's execution name (unique per machine). */
  startRun(input: unknown, name?: string): Promise<void>;
  /** Shows a run of this machine already under way (the designer after a reload). */
  resumeRun(id: string): Promise<void>;
  receiveEvent(event: HistoryEvent): void;
  stopRun(reason: { error?: string; cause?: string }): Promise<void>;
  redriveRun(): Promise<void>;
  /**
   * Answers an approval: an output sends success, an error and cause send failure. Resolves
   * to why the server refused the answer, or null.
   */
  answerTask(
    token: string,
    answer: { output: unknown } | { error: string; cause: string },
  ): Promise<string | null>;
  refreshPendingTasks(): Promise<void>;
  /** Takes another definition and layout whole (someone else's draft), as one undoable edit. */
  adopt(definition: Definition, positions: Layout): void;
  dismissNotice(): void;
  undo(): void;
  redo(): void;
}
