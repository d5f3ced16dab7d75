// Drives `stockflow serve` with the AWS SDK for JavaScript v3 (@aws-sdk/client-sfn) and checks
// every raw answer against the SDK's model of the API. Usage: node sdk.mjs <endpoint-url>
import { Readable } from "node:stream";
import { createRequire } from "node:module";
import * as sfn from "@aws-sdk/client-sfn";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { check, outputSchema } from "./shapes.mjs";
import { ACCOUNT, ROLE, Checks, definitions, waitFor } from "./harness.mjs";

const endpoint = process.argv[2];
if (!endpoint) {
  console.error("usage: node sdk.mjs <endpoint-url>");
  process.exit(2);
}

const sdkVersion = createRequire(import.meta.url)("@aws-sdk/client-sfn/package.json").version;
const checks = new Checks("sdk");
console.log(`AWS SDK for JavaScript v3, @aws-sdk/client-sfn ${sdkVersion}, node ${process.version}, endpoint ${endpoint}`);

/** The SDK's own HTTP handler, keeping each answer's raw body so its shape can be checked as sent. */
class RecordingHandler {
  constructor() {
    this.inner = new NodeHttpHandler();
    this.metadata = this.inner.metadata;
    this.last = null;
  }

  async handle(request, options) {
    const { response } = await this.inner.handle(request, options);
    const chunks = [];
    for await (const chunk of response.body) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    this.last = { status: response.statusCode, headers: response.headers, text: body.toString("utf8") };
    response.body = Readable.from([body]);
    return { response };
  }

  updateHttpClientConfig(key, value) { this.inner.updateHttpClientConfig(key, value); }
  httpHandlerConfigs() { return this.inner.httpHandlerConfigs(); }
  destroy() { this.inner.destroy(); }
}

const handler = new RecordingHandler();
const client = new sfn.SFNClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "drive", secretAccessKey: "drive" },
  requestHandler: handler,
  // TestState is modelled with a "sync-" host prefix; a local endpoint has no such host.
  disableHostPrefix: true,
  maxAttempts: 1,
});

/** Calls an operation and checks its raw answer against the operation's output shape. */
async function call(operation, input) {
  const output = await client.send(new sfn[operation + "Command"](input));
  const raw = JSON.parse(handler.last.text || "{}");
  checks.shape(operation, check(raw, outputSchema(operation)));
  checks.ok(`${operation} answers with AWS JSON 1.0`, (handler.last.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.0"),
    handler.last.headers["content-type"]);
  return output;
}

/** Calls an operation that must fail with AWS's error `name`, as the SDK's typed exception. */
async function expectError(operation, input, name, what) {
  try {
    await client.send(new sfn[operation + "Command"](input));
    checks.ok(`${operation} ${what} fails with ${name}`, false, "it succeeded");
  } catch (e) {
    const raw = safeJson(handler.last?.text);
    const typed = sfn[name] ? e instanceof sfn[name] : true;
    checks.ok(`${operation} ${what} fails with ${name}`, e.name === name && typed, `${e.name}: ${e.message}`);
    checks.ok(`${operation} ${what}: HTTP 400 with {"__type","message"}`,
      handler.last?.status === 400 && raw && Object.keys(raw).sort().join(",") === "__type,message" && typeof raw.message === "string" && raw.message.length > 0,
      `${handler.last?.status} ${handler.last?.text}`);
  }
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

const stamp = Date.now().toString(36);
const machineArn = (name) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const executionArn = (machine, name) => `arn:aws:states:us-east-1:${ACCOUNT}:execution:${machine}:${name}`;
const finished = (arn) => waitFor(`${arn} to finish`, async () => {
  const d = await client.send(new sfn.DescribeExecutionCommand({ executionArn: arn }));
  return d.status !== "RUNNING" ? d : null;
});

const names = { pass: `sdk-pass-${stamp}`, long: `sdk-long-${stamp}`, fail: `sdk-fail-${stamp}`, map: `sdk-map-${stamp}` };
let passArn;

await checks.step("state machines", async () => {
  const created = await call("CreateStateMachine", { name: names.pass, definition: JSON.stringify(definitions.passWait), roleArn: ROLE });
  passArn = created.stateMachineArn;
  checks.ok("CreateStateMachine returns the machine's ARN", passArn === machineArn(names.pass), passArn);
  checks.ok("CreateStateMachine returns a Date", created.creationDate instanceof Date);
  const again = await call("CreateStateMachine", { name: names.pass, definition: JSON.stringify(definitions.passWait), roleArn: ROLE });
  checks.ok("CreateStateMachine with the same definition is idempotent", again.stateMachineArn === passArn);
  await expectError("CreateStateMachine", { name: names.pass, definition: JSON.stringify(definitions.failing), roleArn: ROLE }, "StateMachineAlreadyExists", "with another definition under a taken name");
  await expectError("CreateStateMachine", { name: `sdk-bad-${stamp}`, definition: '{"StartAt":"Nowhere","States":{}}', roleArn: ROLE }, "InvalidDefinition", "with a broken definition");
  await expectError("CreateStateMachine", { name: "no spaces allowed", definition: JSON.stringify(definitions.passWait), roleArn: ROLE }, "InvalidName", "with an invalid name");
  for (const [key, definition] of [["long", definitions.longWait], ["fail", definitions.failing], ["map", definitions.distributedMap]]) {
    await call("CreateStateMachine", { name: names[key], definition: JSON.stringify(definition), roleArn: ROLE });
  }

  const described = await call("DescribeStateMachine", { stateMachineArn: passArn });
  checks.ok("DescribeStateMachine returns the definition as sent", JSON.stringify(JSON.parse(described.definition)) === JSON.stringify(definitions.passWait));
  checks.ok("DescribeStateMachine: name, STANDARD, ACTIVE, roleArn",
    described.name === names.pass && described.type === "STANDARD" && described.status === "ACTIVE" && described.roleArn === ROLE);
  await expectError("DescribeStateMachine", { stateMachineArn: machineArn(`missing-${stamp}`) }, "StateMachineDoesNotExist", "of an unknown machine");
  await expectError("DescribeStateMachine", { stateMachineArn: "not-an-arn" }, "InvalidArn", "with a malformed ARN");

  const updated = await call("UpdateStateMachine", { stateMachineArn: passArn, definition: JSON.stringify({ ...definitions.passWait, Comment: "updated" }) });
  checks.ok("UpdateStateMachine returns updateDate and revisionId", updated.updateDate instanceof Date && typeof updated.revisionId === "string");
  const afterUpdate = await call("DescribeStateMachine", { stateMachineArn: passArn });
  checks.ok("DescribeStateMachine shows the update", JSON.parse(afterUpdate.definition).Comment === "updated" && afterUpdate.revisionId === updated.revisionId);

  // Page through every machine one at a time: nextToken carries the position.
  const seen = [];
  let token;
  let pages = 0;
  do {
    const page = await call("ListStateMachines", { maxResults: 1, nextToken: token });
    seen.push(...page.stateMachines.map((m) => m.name));
    token = page.nextToken;
    pages++;
  } while (token && pages < 100);
  checks.ok("ListStateMachines pages of 1 reach every machine once",
    ["stockflow-pipeline", ...Object.values(names)].every((n) => seen.includes(n)) && new Set(seen).size === seen.length, seen.join(","));
  await expectError("ListStateMachines", { nextToken: "bm90IGEgdG9rZW4=" }, "InvalidToken", "with a forged token");
});

await checks.step("validate", async () => {
  const ok = await call("ValidateStateMachineDefinition", { definition: JSON.stringify(definitions.passWait), type: "STANDARD" });
  checks.ok("ValidateStateMachineDefinition of a good definition: OK, no diagnostics", ok.result === "OK" && ok.diagnostics.length === 0);
  const bad = await call("ValidateStateMachineDefinition", { definition: '{"StartAt":"Missing","States":{"A":{"Type":"Pass","End":true}}}' });
  checks.ok("ValidateStateMachineDefinition of a bad definition: FAIL with ERROR diagnostics",
    bad.result === "FAIL" && bad.diagnostics.length > 0 && bad.diagnostics.every((d) => d.severity === "ERROR" && d.code && d.message), JSON.stringify(bad.diagnostics));
});

let passExecution;
await checks.step("executions", async () => {
  const input = JSON.stringify({ symbols: ["AAPL", "MSFT"], run: stamp });
  const started = await call("StartExecution", { stateMachineArn: passArn, name: `run-${stamp}`, input });
  passExecution = started.executionArn;
  checks.ok("StartExecution returns the execution ARN", passExecution === executionArn(names.pass, `run-${stamp}`), passExecution);
  const again = await call("StartExecution", { stateMachineArn: passArn, name: `run-${stamp}`, input });
  checks.ok("StartExecution with the same name and input while it runs is idempotent", again.executionArn === passExecution);
  await expectError("StartExecution", { stateMachineArn: passArn, name: `run-${stamp}`, input: "{}" }, "ExecutionAlreadyExists", "with a taken name and other input");
  await expectError("StartExecution", { stateMachineArn: passArn, input: "{not json" }, "InvalidExecutionInput", "with input that is not JSON");
  await expectError("StartExecution", { stateMachineArn: machineArn(`missing-${stamp}`) }, "StateMachineDoesNotExist", "of an unknown machine");

  const running = await call("DescribeExecution", { executionArn: passExecution });
  checks.ok("DescribeExecution while it runs: RUNNING, no stopDate, no output", running.status === "RUNNING" && !running.stopDate && running.output === undefined, running.status);
  const done = await finished(passExecution);
  const described = await call("DescribeExecution", { executionArn: passExecution });
  checks.ok("DescribeExecution when done: SUCCEEDED with input, output and stopDate",
    done.status === "SUCCEEDED" && described.input === input && JSON.parse(described.output).prepare?.prepared === true && described.stopDate instanceof Date);
  checks.ok("DescribeExecution: a succeeded execution is NOT_REDRIVABLE", described.redriveStatus === "NOT_REDRIVABLE");
  await expectError("DescribeExecution", { executionArn: executionArn(names.pass, `missing-${stamp}`) }, "ExecutionDoesNotExist", "of an unknown execution");
  await expectError("DescribeExecution", { executionArn: "arn:aws:states:us-east-1:1:stateMachine:x" }, "InvalidArn", "with a state machine's ARN");

  // Two more runs, then page through the list one execution at a time.
  for (const n of [1, 2]) {
    await finished((await client.send(new sfn.StartExecutionCommand({ stateMachineArn: passArn, name: `more-${n}-${stamp}` }))).executionArn);
  }
  const listed = [];
  let token;
  do {
    const page = await call("ListExecutions", { stateMachineArn: passArn, maxResults: 1, nextToken: token });
    checks.ok("ListExecutions honours maxResults 1", page.executions.length <= 1);
    listed.push(...page.executions);
    token = page.nextToken;
  } while (token && listed.length < 10);
  checks.ok("ListExecutions pages of 1 reach all 3 executions, newest first",
    listed.length === 3 && listed[2].executionArn === passExecution && listed.every((e) => e.status === "SUCCEEDED"), listed.map((e) => e.name).join(","));
  const failedOnly = await call("ListExecutions", { stateMachineArn: passArn, statusFilter: "FAILED" });
  checks.ok("ListExecutions statusFilter FAILED: none", failedOnly.executions.length === 0 && !failedOnly.nextToken);
  await expectError("ListExecutions", { stateMachineArn: passArn, statusFilter: "DONE" }, "ValidationException", "with an unknown status");
  await expectError("ListExecutions", { stateMachineArn: passArn, nextToken: "bm90IGEgdG9rZW4=" }, "InvalidToken", "with a forged token");
});

await checks.step("history", async () => {
  const all = await call("GetExecutionHistory", { executionArn: passExecution, maxResults: 1000 });
  const types = all.events.map((e) => e.type);
  checks.ok("GetExecutionHistory: ExecutionStarted first, ExecutionSucceeded last",
    types[0] === "ExecutionStarted" && types.at(-1) === "ExecutionSucceeded" && types.includes("WaitStateEntered"), types.join(","));
  checks.ok("GetExecutionHistory: ExecutionStarted names the machine's role", all.events[0].executionStartedEventDetails?.roleArn === ROLE,
    all.events[0].executionStartedEventDetails?.roleArn);
  checks.ok("GetExecutionHistory: ids 1..n, previousEventId points back",
    all.events.every((e, i) => e.id === i + 1 && (i === 0 ? (e.previousEventId ?? 0) === 0 : e.previousEventId >= 1 && e.previousEventId < e.id)));
  const paged = [];
  let token;
  let pages = 0;
  do {
    const page = await call("GetExecutionHistory", { executionArn: passExecution, maxResults: 2, nextToken: token });
    checks.ok("GetExecutionHistory honours maxResults 2", page.events.length <= 2);
    paged.push(...page.events);
    token = page.nextToken;
    pages++;
  } while (token && pages < 100);
  checks.ok(`GetExecutionHistory pages of 2 (${pages} pages) give the same ${all.events.length} events`,
    JSON.stringify(paged.map((e) => e.id)) === JSON.stringify(all.events.map((e) => e.id)));
  const reversed = await call("GetExecutionHistory", { executionArn: passExecution, reverseOrder: true, maxResults: 2 });
  checks.ok("GetExecutionHistory reverseOrder starts at the last event", reversed.events[0].id === all.events.length && reversed.nextToken);
  const bare = await call("GetExecutionHistory", { executionArn: passExecution, includeExecutionData: false });
  const started = bare.events[0].executionStartedEventDetails;
  checks.ok("GetExecutionHistory includeExecutionData false leaves the input out", started && started.input === undefined, JSON.stringify(started));
  await expectError("GetExecutionHistory", { executionArn: passExecution, nextToken: "bm90IGEgdG9rZW4=" }, "InvalidToken", "with a forged token");
  await expectError("GetExecutionHistory", { executionArn: executionArn(names.pass, `missing-${stamp}`) }, "ExecutionDoesNotExist", "of an unknown execution");
});

await checks.step("stop", async () => {
  const { executionArn: arn } = await call("StartExecution", { stateMachineArn: machineArn(names.long) });
  await waitFor("the long run to enter its Wait", async () =>
    (await client.send(new sfn.GetExecutionHistoryCommand({ executionArn: arn }))).events.some((e) => e.type === "WaitStateEntered"));
  const stopped = await call("StopExecution", { executionArn: arn, error: "Drive.Stopped", cause: "stopped by the drive" });
  checks.ok("StopExecution returns stopDate", stopped.stopDate instanceof Date);
  const described = await call("DescribeExecution", { executionArn: arn });
  checks.ok("DescribeExecution after stop: ABORTED with the error and cause",
    described.status === "ABORTED" && described.error === "Drive.Stopped" && described.cause === "stopped by the drive", `${described.status} ${described.error}`);
  const history = await call("GetExecutionHistory", { executionArn: arn, reverseOrder: true, maxResults: 1 });
  checks.ok("history ends in ExecutionAborted with the error", history.events[0].type === "ExecutionAborted" && history.events[0].executionAbortedEventDetails?.error === "Drive.Stopped");
  await expectError("StopExecution", { executionArn: executionArn(names.long, `missing-${stamp}`) }, "ExecutionDoesNotExist", "of an unknown execution");
});

await checks.step("redrive", async () => {
  const { executionArn: arn } = await call("StartExecution", { stateMachineArn: machineArn(names.fail), input: '{"attempt":1}' });
  const failed = await finished(arn);
  const described = await call("DescribeExecution", { executionArn: arn });
  checks.ok("a failed execution: FAILED, its error and cause, REDRIVABLE",
    failed.status === "FAILED" && described.error === "Drive.Failed" && described.cause === "failed on purpose" && described.redriveStatus === "REDRIVABLE");
  const redriven = await call("RedriveExecution", { executionArn: arn });
  checks.ok("RedriveExecution returns redriveDate", redriven.redriveDate instanceof Date);
  const after = await finished(arn);
  const again = await call("DescribeExecution", { executionArn: arn });
  checks.ok("after the redrive: redriveCount 1, redriveDate, same ARN", again.redriveCount === 1 && again.redriveDate instanceof Date && after.status === "FAILED");
  const history = await call("GetExecutionHistory", { executionArn: arn, maxResults: 1000 });
  checks.ok("the history records ExecutionRedriven", history.events.some((e) => e.type === "ExecutionRedriven" && e.executionRedrivenEventDetails?.redriveCount === 1));
  const redrivenList = await call("ListExecutions", { stateMachineArn: machineArn(names.fail), redriveFilter: "REDRIVEN" });
  checks.ok("ListExecutions redriveFilter REDRIVEN lists it", redrivenList.executions.some((e) => e.executionArn === arn && e.redriveCount === 1));
  await expectError("RedriveExecution", { executionArn: passExecution }, "ExecutionNotRedrivable", "of a succeeded execution");
});

await checks.step("map runs", async () => {
  const { executionArn: arn } = await call("StartExecution", { stateMachineArn: machineArn(names.map), input: JSON.stringify({ items: [1, 2, 3] }) });
  const done = await finished(arn);
  checks.ok("the Distributed Map execution succeeds", done.status === "SUCCEEDED", done.status + " " + (done.cause ?? ""));
  const runs = await call("ListMapRuns", { executionArn: arn });
  checks.ok("ListMapRuns lists one Map Run", runs.mapRuns.length === 1 && runs.mapRuns[0].executionArn === arn, JSON.stringify(runs.mapRuns));
  const mapRunArn = runs.mapRuns[0]?.mapRunArn;
  const run = await call("DescribeMapRun", { mapRunArn });
  checks.ok("DescribeMapRun: SUCCEEDED, 3 items succeeded", run.status === "SUCCEEDED" && run.itemCounts.succeeded === 3 && run.itemCounts.total === 3, JSON.stringify(run.itemCounts));
  const children = await call("ListExecutions", { mapRunArn });
  checks.ok("ListExecutions by mapRunArn lists its child executions", children.executions.length >= 1 && children.executions.every((e) => e.mapRunArn === mapRunArn));
  await expectError("DescribeMapRun", { mapRunArn: mapRunArn.replace(/:[^:]+$/, ":missing") }, "ResourceNotFound", "of an unknown Map Run");
  await expectError("ListMapRuns", { executionArn: "bad" }, "InvalidArn", "with a malformed ARN");
});

await checks.step("test state", async () => {
  const result = await call("TestState", {
    definition: JSON.stringify({ Type: "Pass", Parameters: { "doubled.$": "States.MathAdd($.n, $.n)" }, Next: "Later" }),
    input: '{"n":21}',
    roleArn: ROLE,
    inspectionLevel: "DEBUG",
  });
  checks.ok("TestState runs a Pass state: SUCCEEDED, output, nextState, inspectionData",
    result.status === "SUCCEEDED" && JSON.parse(result.output).doubled === 42 && result.nextState === "Later" && result.inspectionData?.afterParameters, JSON.stringify(result));
  const failing = await call("TestState", { definition: JSON.stringify({ Type: "Fail", Error: "E", Cause: "C" }), roleArn: ROLE });
  checks.ok("TestState of a Fail state: FAILED with its error and cause", failing.status === "FAILED" && failing.error === "E" && failing.cause === "C");
  await expectError("TestState", { definition: '{"Type":"Nope"}', roleArn: ROLE }, "InvalidDefinition", "of an invalid state");
});

await checks.step("delete", async () => {
  await call("DeleteStateMachine", { stateMachineArn: machineArn(names.long) });
  await expectError("DescribeStateMachine", { stateMachineArn: machineArn(names.long) }, "StateMachineDoesNotExist", "after DeleteStateMachine");
});

checks.summary();
process.exit(checks.failed === 0 ? 0 : 1);
