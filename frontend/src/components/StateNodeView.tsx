import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { StateNode } from "../asl/graph";
import { firstProblem, isWarning, problemClass } from "../asl/types";
import { iterationText } from "../asl/runStatus";
import { CollapseButton } from "./ContainerNodeView";
import { STATUS_LABELS } from "./Legend";
import { HeatBadge } from "./runTools/HeatBadge";

export function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  const problems = data.problems;
  const first = firstProblem(problems);
  const classes = [
    "state-node",
    `status-${data.status}`,
    `type-${data.stateType.toLowerCase()}`,
    selected ? "is-selected" : "",
    problemClass(problems),
  ];
  const canLeave = data.stateType !== "Succeed" && data.stateType !== "Fail";
  return (
    <div
      className={classes.join(" ")}
      data-testid={`node-${data.name}`}
      data-key={data.key}
      data-status={data.status}
      data-type={data.stateType}
      data-problems={problems.length}
      title={problems.map((p) => p.message).join("\n") || undefined}
    >
      <Handle type="target" position={Position.Top} />
      <div className="state-node-head">
        <span className="type-badge">{data.badge}</span>
        {data.isStart && <span className="tag tag-start">Start</span>}
        {data.isEnd && <span className="tag tag-end">End</span>}
        {data.status !== "idle" && (
          <span
            className="status-dot"
            aria-label={STATUS_LABELS[data.status]}
            title={STATUS_LABELS[data.status]}
          />
        )}
      </div>
      <div className="state-node-name" title={data.name}>
        {data.name}
      </div>
      {data.innerCount !== null && (
        <div className="state-node-inner">
          {data.innerCount} step{data.innerCount === 1 ? "" : "s"} inside
          {data.collapsed && (
            <CollapseButton nodeKey={data.key} collapsed={true} name={data.name} />
          )}
        </div>
      )}
      {data.iterations && (
        <div className="state-node-iterations" data-testid={`node-iterations-${data.name}`}>
          {iterationText(data.iterations)}
        </div>
      )}
      {first && (
        <div
          className={`state-node-problem${isWarning(first) ? " warning" : ""}`}
          data-testid={`node-problem-${data.name}`}
        >
          {first.message}
          {problems.length > 1 ? ` (+${problems.length - 1} more)` : ""}
        </div>
      )}
      <HeatBadge name={data.name} />
      {canLeave && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
