// A Map or Parallel drawn open: a title bar, then its inner states (a Map) or one lane per
// branch (a Parallel), and the buttons that add to them.
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { createContext, useContext, type MouseEvent, type ReactNode } from "react";
import type { StateNode } from "../asl/graph";
import { iterationText } from "../asl/runStatus";
import { isTerminal, statesOf, typeOf } from "../asl/definition";
import * as edits from "../asl/edits";
import { addressOf, editScope, mapProcessorPointer, scopeAt, stateAt } from "../asl/scopes";
import { firstProblem, isWarning, problemClass, type Definition } from "../asl/types";
import { useGraph } from "../store";
import { STATUS_LABELS } from "./Legend";
import { HeatBadge } from "./runTools/HeatBadge";

/** Whether the canvas edits (the designer) or only shows (the run view). */
export const EditableContext = createContext(false);

function NodeButton({
  onClick,
  children,
  title,
  testId,
}: {
  onClick: () => void;
  children: ReactNode;
  title: string;
  testId: string;
}) {
  const run = (event: MouseEvent) => {
    event.stopPropagation();
    onClick();
  };
  return (
    <button
      type="button"
      className="node-button nodrag"
      title={title}
      data-testid={testId}
      onClick={run}
    >
      {children}
    </button>
  );
}

/** The pointer of the inner machine a Map runs, where "+ add a step" adds. */
function mapScope(key: string): string {
  return mapProcessorPointer(stateAt(useGraph.getState().definition, key) ?? {}, key);
}

/** The step a new one goes after: the last that ends the run here and could go on. */
function lastStep(holder: Definition): string | null {
  const open = Object.entries(statesOf(holder)).filter(
    ([, state]) => isTerminal(state) && !["Succeed", "Fail", "Choice"].includes(typeOf(state)),
  );
  return open.length ? open[open.length - 1]![0] : null;
}

export function AddStepButton({ scope, label }: { scope: string; label: string }) {
  const add = () => {
    const store = useGraph.getState();
    const holder = scopeAt(store.definition, scope);
    if (holder === null) return;
    const after = lastStep(holder);
    store.addStateAt("Pass", null, scope);
    // The new step follows the last one, so the steps inside still run one after another.
    const added = useGraph.getState().selected;
    if (after === null || added === null) return;
    const name = addressOf(added).name;
    if (name === after) return;
    useGraph.getState().edit((d) => editScope(d, scope, (s) => edits.connect(s, after, name)));
  };
  return (
    <div className="container-footer">
      <NodeButton onClick={add} title={`Add a step to ${label}`} testId={`add-step-${label}`}>
        + add a step
      </NodeButton>
    </div>
  );
}

export function CollapseButton({
  nodeKey,
  collapsed,
  name,
}: {
  nodeKey: string;
  collapsed: boolean;
  name: string;
}) {
  return (
    <NodeButton
      onClick={() => useGraph.getState().toggleCollapsed(nodeKey)}
      title={collapsed ? "Show the steps inside" : "Fold up the steps inside"}
      testId={`${collapsed ? "expand" : "collapse"}-${name}`}
    >
      {collapsed ? "▸ open" : "▾ fold"}
    </NodeButton>
  );
}

export function ContainerNodeView({ data, selected }: NodeProps<StateNode>) {
  const editable = useContext(EditableContext);
  const first = firstProblem(data.problems);
  const classes = [
    "container-node",
    `type-${data.stateType.toLowerCase()}`,
    `status-${data.status}`,
    selected ? "is-selected" : "",
    problemClass(data.problems),
  ];
  return (
    <div
      className={classes.join(" ")}
      data-testid={`node-${data.name}`}
      data-key={data.key}
      data-type={data.stateType}
      data-status={data.status}
      data-problems={data.problems.length}
      title={data.problems.map((p) => p.message).join("\n") || undefined}
    >
      <Handle type="target" position={Position.Top} />
      <div className="container-head">
        <span className="type-badge">{data.badge}</span>
        <span className="container-name" title={data.name}>
          {data.name}
        </span>
        {data.isStart && <span className="tag tag-start">Start</span>}
        {data.isEnd && <span className="tag tag-end">End</span>}
        {data.status !== "idle" && (
          <span
            className="status-dot"
            aria-label={STATUS_LABELS[data.status]}
            title={STATUS_LABELS[data.status]}
          />
        )}
        <CollapseButton nodeKey={data.key} collapsed={false} name={data.name} />
      </div>
      {data.iterations && (
        <div
          className="state-node-iterations container-iterations"
          data-testid={`node-iterations-${data.name}`}
        >
          {iterationText(data.iterations)}
        </div>
      )}
      <div className="container-heat">
        <HeatBadge name={data.name} />
      </div>
      {first && (
        <div
          className={`state-node-problem container-problem${isWarning(first) ? " warning" : ""}`}
          data-testid={`node-problem-${data.name}`}
        >
          {first.message}
        </div>
      )}
      {editable && data.stateType === "Map" && (
        <AddStepButton scope={mapScope(data.key)} label={data.name} />
      )}
      {editable && data.stateType === "Parallel" && (
        <div className="container-footer">
          <NodeButton
            onClick={() => useGraph.getState().addBranch(data.key)}
            title="Add a branch that runs beside the others"
            testId={`add-branch-${data.name}`}
          >
            + add a branch
          </NodeButton>
        </div>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export function LaneNodeView({ data }: NodeProps<StateNode>) {
  const editable = useContext(EditableContext);
  const branch = data.branch;
  if (!branch) return null;
  const parallel = branch.parallel;
  const owner = parallel.split("/").pop() ?? "";
  return (
    <div className="lane-node" data-testid={`lane-${branch.index + 1}`} data-key={data.key}>
      <div className="lane-head">
        <span>{data.name}</span>
        {editable && branch.count > 1 && (
          <NodeButton
            onClick={() => useGraph.getState().removeBranch(parallel, branch.index)}
            title="Remove this branch and its steps"
            testId={`remove-branch-${branch.index + 1}`}
          >
            ✕
          </NodeButton>
        )}
      </div>
      {editable && <AddStepButton scope={data.key} label={`${owner} branch ${branch.index + 1}`} />}
    </div>
  );
}
