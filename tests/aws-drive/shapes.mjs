// Checks an answer of `stockflow serve` against AWS's model of the Step Functions API, as the
// AWS SDK for JavaScript v3 ships it (the operation's output structure: member names, types,
// required members) plus the enumerations the API reference lists for the fields we fill.
import * as sfn from "@aws-sdk/client-sfn";
import { NormalizedSchema } from "@smithy/core/schema";

// The enumerations the API reference gives for string members, by member name. The SDK's model
// keeps enums as plain strings; its exported constant objects carry the values.
const enums = {
  status: null, // depends on the structure: see statusEnums
  type: null, // StateMachineType, or HistoryEventType inside HistoryEvent
  redriveStatus: sfn.ExecutionRedriveStatus,
};
// Enumerated members named alike in other structures (TestState's inspectionData.result is free text).
const enumsByStructure = {
  ValidateStateMachineDefinitionOutput: { result: sfn.ValidateStateMachineDefinitionResultCode },
  ValidateStateMachineDefinitionDiagnostic: { severity: sfn.ValidateStateMachineDefinitionSeverity },
};
const statusEnums = {
  DescribeExecutionOutput: sfn.ExecutionStatus,
  ExecutionListItem: sfn.ExecutionStatus,
  DescribeStateMachineOutput: sfn.StateMachineStatus,
  DescribeMapRunOutput: sfn.MapRunStatus,
  TestStateOutput: sfn.TestExecutionStatus,
};
const typeEnums = {
  HistoryEvent: sfn.HistoryEventType,
  DescribeStateMachineOutput: sfn.StateMachineType,
  StateMachineListItem: sfn.StateMachineType,
};

/** The output structure of an operation, e.g. "DescribeExecution" -> DescribeExecutionOutput$. */
export function outputSchema(operation) {
  const schema = sfn[operation + "Output$"];
  if (!schema) throw new Error(`the SDK has no output shape for ${operation}`);
  return schema;
}

// A structure schema is [3, namespace, name, traits, memberNames, memberSchemas, requiredCount]:
// the first requiredCount members are the model's required ones.
function requiredMembers(ns) {
  const raw = ns.getSchema();
  return Array.isArray(raw) && typeof raw[6] === "number" ? raw[4].slice(0, raw[6]) : [];
}

/**
 * Every difference between a JSON value and a schema, as "path: what" lines.
 * timestamps: "epoch" (the wire: seconds as a number) or "cli" (the CLI prints numbers or ISO strings).
 */
export function check(value, schema, path = "$", timestamps = "epoch") {
  const problems = [];
  walk(value, NormalizedSchema.of(schema), path, problems, timestamps, null, null);
  return problems;
}

function walk(value, ns, path, problems, timestamps, memberName, parentName) {
  if (value === null || value === undefined) {
    problems.push(`${path}: null (AWS leaves an absent member out)`);
    return;
  }

  if (ns.isStructSchema()) {
    if (typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${path}: expected a ${ns.getName()} object, got ${JSON.stringify(value).slice(0, 80)}`);
      return;
    }
    const members = new Map([...ns.structIterator()]);
    for (const name of requiredMembers(ns)) {
      if (!(name in value)) problems.push(`${path}.${name}: required by ${ns.getName()}, missing`);
    }
    for (const [key, child] of Object.entries(value)) {
      const member = members.get(key);
      if (!member) {
        problems.push(`${path}.${key}: not a member of ${ns.getName()}`);
        continue;
      }
      walk(child, member, `${path}.${key}`, problems, timestamps, key, ns.getName());
    }
    return;
  }

  if (ns.isListSchema()) {
    if (!Array.isArray(value)) {
      problems.push(`${path}: expected a list`);
      return;
    }
    value.forEach((item, i) => walk(item, ns.getValueSchema(), `${path}[${i}]`, problems, timestamps, null, null));
    return;
  }

  if (ns.isMapSchema()) {
    if (typeof value !== "object" || Array.isArray(value)) problems.push(`${path}: expected a map`);
    else for (const [k, v] of Object.entries(value)) walk(v, ns.getValueSchema(), `${path}.${k}`, problems, timestamps, null, null);
    return;
  }

  if (ns.isTimestampSchema()) {
    const ok = typeof value === "number" || (timestamps === "cli" && typeof value === "string" && !Number.isNaN(Date.parse(value)));
    if (!ok) problems.push(`${path}: expected a timestamp (epoch seconds), got ${JSON.stringify(value)}`);
    else if (typeof value === "number" && (value < 1e9 || value > 1e11)) problems.push(`${path}: ${value} is not in epoch seconds`);
    return;
  }

  if (ns.isBooleanSchema()) {
    if (typeof value !== "boolean") problems.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
    return;
  }

  if (ns.isNumericSchema() || ns.isBigIntegerSchema?.() || ns.isBigDecimalSchema?.()) {
    if (typeof value !== "number") problems.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
    return;
  }

  if (ns.isStringSchema()) {
    if (typeof value !== "string") {
      problems.push(`${path}: expected a string, got ${JSON.stringify(value).slice(0, 80)}`);
      return;
    }
    const allowed = memberName === "status" ? statusEnums[parentName]
      : memberName === "type" ? typeEnums[parentName]
      : enumsByStructure[parentName]?.[memberName] ?? enums[memberName];
    if (allowed && !Object.values(allowed).includes(value)) {
      problems.push(`${path}: '${value}' is not one of ${Object.values(allowed).join(", ")}`);
    }
    return;
  }

  if (ns.isDocumentSchema()) return;
  problems.push(`${path}: no check for schema ${ns.getName()}`);
}
