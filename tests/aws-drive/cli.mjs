// Drives `stockflow serve` with the AWS CLI (`aws stepfunctions ... --endpoint-url`) and checks
// each command's JSON against the SDK's model of the API. Usage: node cli.mjs <endpoint-url> [aws]
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, outputSchema } from "./shapes.mjs";
import { ACCOUNT, ROLE, Checks, definitions, waitFor } from "./harness.mjs";

const endpoint = process.argv[2];
const aws = process.argv[3] ?? "aws";
if (!endpoint) {
  console.error("usage: node cli.mjs <endpoint-url> [path to aws]");
  process.exit(2);
}

const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "drive",
  AWS_SECRET_ACCESS_KEY: "drive",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_PAGER: "",
  // TestState is modelled with a "sync-" host prefix; a local endpoint has no such host (botocore 1.36+).
  AWS_DISABLE_HOST_PREFIX_INJECTION: "true",
};
delete env.AWS_PROFILE;

const version = spawnSync(aws, ["--version"], { env, encoding: "utf8" });
if (version.error) {
  console.error(`no AWS CLI at '${aws}': ${version.error.message}`);
  process.exit(2);
}
console.log(`AWS CLI: ${(version.stdout || version.stderr).trim()}, endpoint ${endpoint}`);
const checks = new Checks("cli");
const help = spawnSync(aws, ["stepfunctions", "help"], { env, encoding: "utf8", maxBuffer: 1 << 24 }).stdout ?? "";
const has = (command) => help.includes(command);

function run(command, args) {
  const result = spawnSync(aws, ["stepfunctions", command, "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json", ...args],
    { env, encoding: "utf8", maxBuffer: 1 << 24 });
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Runs a command that must succeed and checks its JSON against the operation's output shape. */
function call(command, operation, args) {
  const { code, stdout, stderr } = run(command, args);
  if (code !== 0) throw new Error(`aws stepfunctions ${command} exited ${code}: ${stderr.trim()}`);
  const json = stdout.trim() ? JSON.parse(stdout) : {};
  checks.shape(command, check(json, outputSchema(operation), "$", "cli"));
  return json;
}

/** Runs a command that must fail with AWS's error code, as the CLI prints it. */
function expectError(command, args, code, what) {
  const result = run(command, args);
  checks.ok(`${command} ${what} fails with ${code}`, result.code !== 0 && result.stderr.includes(`(${code})`), `${result.code} ${result.stderr.trim()}`);
}

const folder = mkdtempSync(join(tmpdir(), "stockflow-cli-drive-"));
function file(name, json) {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(json));
  return "file://" + path;
}

const stamp = Date.now().toString(36);
const names = { pass: `cli-pass-${stamp}`, long: `cli-long-${stamp}`, fail: `cli-fail-${stamp}`, map: `cli-map-${stamp}` };
const machineArn = (name) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const finished = (arn) => waitFor(`${arn} to finish`, async () => {
  const d = JSON.parse(run("describe-execution", ["--execution-arn", arn]).stdout || "{}");
  return d.status && d.status !== "RUNNING" ? d : null;
});

await checks.step("state machines", async () => {
  const created = call("create-state-machine", "CreateStateMachine",
    ["--name", names.pass, "--definition", file("pass.json", definitions.passWait), "--role-arn", ROLE]);
  checks.ok("create-state-machine returns the ARN", created.stateMachineArn === machineArn(names.pass), created.stateMachineArn);
  for (const [key, definition] of [["long", definitions.longWait], ["fail", definitions.failing], ["map", definitions.distributedMap]]) {
    call("create-state-machine", "CreateStateMachine", ["--name", names[key], "--definition", file(`${key}.json`, definition), "--role-arn", ROLE]);
  }
  const described = call("describe-state-machine", "DescribeStateMachine", ["--state-machine-arn", machineArn(names.pass)]);
  checks.ok("describe-state-machine: name, definition, ACTIVE", described.name === names.pass && described.status === "ACTIVE" && JSON.parse(described.definition).StartAt === "Prepare");
  // --page-size 1: the CLI follows nextToken itself, one machine per request.
  const listed = call("list-state-machines", "ListStateMachines", ["--page-size", "1"]);
  checks.ok("list-state-machines --page-size 1 follows nextToken through every machine",
    Object.values(names).every((n) => listed.stateMachines.some((m) => m.name === n)) && !listed.NextToken, listed.stateMachines.map((m) => m.name).join(","));
  call("update-state-machine", "UpdateStateMachine", ["--state-machine-arn", machineArn(names.pass), "--definition", file("pass2.json", { ...definitions.passWait, Comment: "updated" })]);
  expectError("describe-state-machine", ["--state-machine-arn", machineArn(`missing-${stamp}`)], "StateMachineDoesNotExist", "of an unknown machine");
  expectError("create-state-machine", ["--name", `cli-bad-${stamp}`, "--definition", '{"StartAt":"X","States":{}}', "--role-arn", ROLE], "InvalidDefinition", "with a broken definition");
});

await checks.step("validate", async () => {
  if (!has("validate-state-machine-definition")) {
    checks.skip("validate-state-machine-definition", "this CLI version has no such command");
    return;
  }
  const ok = call("validate-state-machine-definition", "ValidateStateMachineDefinition", ["--definition", file("v.json", definitions.failing)]);
  checks.ok("validate-state-machine-definition: OK", ok.result === "OK" && ok.diagnostics.length === 0);
  const bad = call("validate-state-machine-definition", "ValidateStateMachineDefinition", ["--definition", '{"StartAt":"Missing","States":{"A":{"Type":"Pass","End":true}}}']);
  checks.ok("validate-state-machine-definition of a bad definition: FAIL with diagnostics", bad.result === "FAIL" && bad.diagnostics.length > 0);
});

let passExecution;
await checks.step("executions", async () => {
  const input = JSON.stringify({ symbols: ["AAPL"], run: stamp });
  const started = call("start-execution", "StartExecution", ["--state-machine-arn", machineArn(names.pass), "--name", `run-${stamp}`, "--input", input]);
  passExecution = started.executionArn;
  const done = await finished(passExecution);
  const described = call("describe-execution", "DescribeExecution", ["--execution-arn", passExecution]);
  checks.ok("describe-execution: SUCCEEDED with input and output", done.status === "SUCCEEDED" && described.input === input && JSON.parse(described.output).prepare.prepared === true);
  for (const n of [1, 2]) {
    await finished(call("start-execution", "StartExecution", ["--state-machine-arn", machineArn(names.pass), "--name", `more-${n}-${stamp}`]).executionArn);
  }
  // --max-results 1 is one request: the CLI hands back nextToken, which --next-token continues.
  const seen = [];
  let token;
  for (let pages = 0; pages < 10; pages++) {
    const page = call("list-executions", "ListExecutions",
      ["--state-machine-arn", machineArn(names.pass), "--max-results", "1", ...(token ? ["--next-token", token] : [])]);
    seen.push(...page.executions.map((e) => e.name));
    token = page.nextToken;
    if (!token) break;
  }
  checks.ok("list-executions --max-results 1 / --next-token pages through all 3", seen.length === 3 && seen[2] === `run-${stamp}`, seen.join(","));
  const filtered = call("list-executions", "ListExecutions", ["--state-machine-arn", machineArn(names.pass), "--status-filter", "SUCCEEDED"]);
  checks.ok("list-executions --status-filter SUCCEEDED lists the 3", filtered.executions.length === 3);
  expectError("describe-execution", ["--execution-arn", `arn:aws:states:us-east-1:${ACCOUNT}:execution:${names.pass}:missing`], "ExecutionDoesNotExist", "of an unknown execution");
  expectError("describe-execution", ["--execution-arn", "not-an-arn"], "InvalidArn", "with a malformed ARN");
});

await checks.step("history", async () => {
  const all = call("get-execution-history", "GetExecutionHistory", ["--execution-arn", passExecution]);
  checks.ok("get-execution-history: ExecutionStarted ... ExecutionSucceeded", all.events[0].type === "ExecutionStarted" && all.events.at(-1).type === "ExecutionSucceeded");
  const ids = [];
  let token;
  let pages = 0;
  do {
    const page = call("get-execution-history", "GetExecutionHistory", ["--execution-arn", passExecution, "--max-results", "2", ...(token ? ["--next-token", token] : [])]);
    checks.ok("get-execution-history --max-results 2 gives at most 2 events", page.events.length <= 2);
    ids.push(...page.events.map((e) => e.id));
    token = page.nextToken;
    pages++;
  } while (token && pages < 50);
  checks.ok(`get-execution-history pages of 2 (${pages} requests) give all ${all.events.length} events in order`,
    JSON.stringify(ids) === JSON.stringify(all.events.map((e) => e.id)));
  const reversed = call("get-execution-history", "GetExecutionHistory", ["--execution-arn", passExecution, "--reverse-order", "--max-results", "1"]);
  checks.ok("get-execution-history --reverse-order starts with the last event", reversed.events[0].type === "ExecutionSucceeded");
});

await checks.step("stop", async () => {
  const { executionArn: arn } = call("start-execution", "StartExecution", ["--state-machine-arn", machineArn(names.long)]);
  await waitFor("the Wait state", async () =>
    JSON.parse(run("get-execution-history", ["--execution-arn", arn]).stdout || '{"events":[]}').events.some((e) => e.type === "WaitStateEntered"));
  call("stop-execution", "StopExecution", ["--execution-arn", arn, "--error", "Cli.Stopped", "--cause", "stopped from the CLI"]);
  const described = call("describe-execution", "DescribeExecution", ["--execution-arn", arn]);
  checks.ok("stop-execution: ABORTED with its error and cause", described.status === "ABORTED" && described.error === "Cli.Stopped" && described.cause === "stopped from the CLI");
});

await checks.step("redrive", async () => {
  const { executionArn: arn } = call("start-execution", "StartExecution", ["--state-machine-arn", machineArn(names.fail)]);
  const failed = await finished(arn);
  if (!has("redrive-execution")) {
    // A CLI from before redrive (2.9 is Debian bookworm's) does not know redriveStatus and drops it.
    checks.ok("the failing execution FAILED", failed.status === "FAILED");
    checks.skip("redrive-execution", "this CLI version has no such command");
    return;
  }
  checks.ok("the failing execution FAILED, REDRIVABLE", failed.status === "FAILED" && failed.redriveStatus === "REDRIVABLE");
  call("redrive-execution", "RedriveExecution", ["--execution-arn", arn]);
  await finished(arn);
  const described = call("describe-execution", "DescribeExecution", ["--execution-arn", arn]);
  checks.ok("redrive-execution: redriveCount 1 and redriveDate", described.redriveCount === 1 && described.redriveDate !== undefined);
  expectError("redrive-execution", ["--execution-arn", passExecution], "ExecutionNotRedrivable", "of a succeeded execution");
});

await checks.step("map runs", async () => {
  const { executionArn: arn } = call("start-execution", "StartExecution", ["--state-machine-arn", machineArn(names.map), "--input", '{"items":["a","b"]}']);
  await finished(arn);
  const runs = call("list-map-runs", "ListMapRuns", ["--execution-arn", arn]);
  checks.ok("list-map-runs lists the Map Run", runs.mapRuns.length === 1);
  const run1 = call("describe-map-run", "DescribeMapRun", ["--map-run-arn", runs.mapRuns[0].mapRunArn]);
  checks.ok("describe-map-run: SUCCEEDED, 2 items", run1.status === "SUCCEEDED" && run1.itemCounts.succeeded === 2);
});

await checks.step("test state", async () => {
  if (!has("test-state")) {
    checks.skip("test-state", "this CLI version has no such command");
    return;
  }
  const result = call("test-state", "TestState", ["--definition", '{"Type":"Pass","Result":{"ok":true},"End":true}', "--role-arn", ROLE]);
  checks.ok("test-state: SUCCEEDED with the Pass state's output", result.status === "SUCCEEDED" && JSON.parse(result.output).ok === true);
});

await checks.step("delete", async () => {
  call("delete-state-machine", "DeleteStateMachine", ["--state-machine-arn", machineArn(names.long)]);
  expectError("describe-state-machine", ["--state-machine-arn", machineArn(names.long)], "StateMachineDoesNotExist", "after delete-state-machine");
});

checks.summary();
process.exit(checks.failed === 0 ? 0 : 1);
