// A program written for AWS Step Functions, unchanged but for its endpoint: it reads the
// endpoint and the credentials from the environment (AWS_ENDPOINT_URL_SFN is the SDK's own
// variable), creates a machine, runs it, and prints what it saw as one JSON line.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  DescribeStateMachineCommand,
} from "@aws-sdk/client-sfn";

const client = new SFNClient({ region: "us-east-1", maxAttempts: 1 });
const definition = {
  StartAt: "Hi",
  States: { Hi: { Type: "Pass", Parameters: { "greeting.$": "States.Format('hi {}', $.who)" }, End: true } },
};

const created = await client.send(
  new CreateStateMachineCommand({
    name: "FromJs",
    definition: JSON.stringify(definition),
    roleArn: "arn:aws:iam::123456789012:role/r",
  }),
);
const listed = await client.send(new ListStateMachinesCommand({}));
const started = await client.send(
  new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{"who": "js"}' }),
);
let described;
for (let i = 0; i < 300; i++) {
  described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
  if (described.status !== "RUNNING") break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
let missing = null;
try {
  await client.send(
    new DescribeStateMachineCommand({
      stateMachineArn: created.stateMachineArn.replace("FromJs", "Nope"),
    }),
  );
} catch (error) {
  missing = error instanceof StateMachineDoesNotExist ? "StateMachineDoesNotExist" : String(error);
}
console.log(
  JSON.stringify({
    created: created.stateMachineArn,
    listed: listed.stateMachines.map((m) => m.name),
    status: described.status,
    output: JSON.parse(described.output),
    startDateIsDate: started.startDate instanceof Date,
    missing,
  }),
);
