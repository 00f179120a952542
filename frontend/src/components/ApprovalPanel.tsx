// What a run waits for from a person (every `.waitForTaskToken` task, whatever its resource,
// and activities), with Approve / Reject, and who has answered the run's tasks so far.
import { useEffect, useState } from "react";
import { approvalsApi, type TaskAnswer } from "../approvalsApi";
import { approvalsOf } from "../asl/operator";
import { useGraph } from "../store";
import { ApprovalCard } from "./approvals/ApprovalCard";
import "./approvals/approvals.css";

function useTaskAnswers(): TaskAnswer[] {
  const id = useGraph((s) => s.execution?.id);
  // A task's answer shows in the history as TaskSucceeded or TaskFailed: look again then.
  const answeredEvents = useGraph(
    (s) => s.events.filter((e) => e.type === "TaskSucceeded" || e.type === "TaskFailed").length,
  );
  const [answers, setAnswers] = useState<TaskAnswer[]>([]);
  useEffect(() => {
    if (!id) return;
    let current = true;
    approvalsApi.answers(id).then(
      (found) => current && setAnswers(found.answers),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [id, answeredEvents]);
  return answers;
}

function Answers({ answers }: { answers: TaskAnswer[] }) {
  if (answers.length === 0) return null;
  return (
    <section className="approval-answers" data-testid="approval-answers">
      <h2>Answers</h2>
      <ul>
        {answers.map((answer, i) => (
          <li key={i} data-testid="approval-answer" data-state={answer.state_name}>
            <span className={answer.approved ? "answer-approved" : "answer-rejected"}>
              {answer.approved ? "Approved" : "Rejected"}
            </span>{" "}
            <strong>{answer.state_name}</strong> by{" "}
            <span data-testid="approval-answer-by">{answer.by || "a program"}</span>,{" "}
            <time dateTime={answer.at}>{new Date(answer.at).toLocaleString()}</time>
            {answer.comment && (
              <blockquote data-testid="approval-answer-comment">{answer.comment}</blockquote>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ApprovalPanel() {
  const pendingTasks = useGraph((s) => s.pendingTasks);
  const running = useGraph((s) => s.execution?.status === "RUNNING");
  const refresh = useGraph((s) => s.refreshPendingTasks);
  const answers = useTaskAnswers();
  const approvals = running ? approvalsOf(pendingTasks) : [];
  if (approvals.length === 0 && answers.length === 0) return null;
  return (
    <div className="approvals" data-testid="approval-panel">
      {approvals.map((task) => (
        <ApprovalCard
          key={task.task_token || task.state_name}
          task={task}
          onAnswered={() => void refresh()}
        />
      ))}
      <Answers answers={answers} />
    </div>
  );
}
