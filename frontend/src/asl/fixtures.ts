// Definitions shared by the unit tests; shaped like what users draw.
import type { Definition, HistoryEvent } from "./types";

export function orderWorkflow(): Definition {
  return {
    Comment: "Check an order, then ship or reject it.",
    StartAt: "Receive order",
    States: {
      "Receive order": { Type: "Pass", Next: "Is it in stock?" },
      "Is it in stock?": {
        Type: "Choice",
        Choices: [{ Variable: "$.quantity", NumericLessThanEquals: 10, Next: "Pack" }],
        Default: "Out of stock",
      },
      Pack: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:000000000000:function:pack",
        Next: "Ship",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Out of stock" }],
      },
      Ship: {
        Type: "Map",
        ItemProcessor: {
          StartAt: "Label",
          States: { Label: { Type: "Pass", Next: "Post" }, Post: { Type: "Pass", End: true } },
        },
        End: true,
      },
      "Out of stock": { Type: "Fail", Error: "OutOfStock", Cause: "Not enough items." },
    },
  };
}

let clock = 0;

/** The member AWS keeps an event's details in (asl/history.py on the server). */
function detailsMember(type: string): `${string}EventDetails` {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}
export function event(
  id: number,
  type: string,
  details: Record<string, unknown> = {},
  previousEventId: number | null = id > 1 ? id - 1 : null,
): HistoryEvent {
  clock += 1;
  const shaped: HistoryEvent = {
    id,
    previousEventId,
    type,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
  };
  shaped[detailsMember(type)] = details;
  return shaped;
}
