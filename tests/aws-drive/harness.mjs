// What both drives share: the definitions they run, and a record of checks that prints one line
// per check and a closing count.
import { setTimeout as sleep } from "node:timers/promises";

export const ACCOUNT = "000000000000";
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/stockflow-drive`;

export const definitions = {
  // Pass, a real one-second Wait, Pass: a short run with a handful of history events.
  passWait: {
    Comment: "aws-drive: pass, wait, pass",
    StartAt: "Prepare",
    States: {
      Prepare: { Type: "Pass", Result: { prepared: true }, ResultPath: "$.prepare", Next: "Pause" },
      Pause: { Type: "Wait", Seconds: 1, Next: "Finish" },
      Finish: { Type: "Pass", End: true },
    },
  },
  // Waits ten minutes: the drive stops it.
  longWait: { StartAt: "Sleep", States: { Sleep: { Type: "Wait", Seconds: 600, End: true } } },
  // Fails in its second state: the drive redrives it.
  failing: {
    StartAt: "Check",
    States: {
      Check: { Type: "Pass", Next: "Boom" },
      Boom: { Type: "Fail", Error: "Drive.Failed", Cause: "failed on purpose" },
    },
  },
  // A Distributed Map over the input's items: one Map Run with a child execution per item.
  distributedMap: {
    StartAt: "EachItem",
    States: {
      EachItem: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Echo",
          States: { Echo: { Type: "Pass", End: true } },
        },
        End: true,
      },
    },
  },
};

export class Checks {
  constructor(label) {
    this.label = label;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  ok(name, condition, detail = "") {
    if (condition) {
      this.passed++;
      console.log(`  ok    ${this.label} ${name}`);
    } else {
      this.failed++;
      console.log(`  FAIL  ${this.label} ${name}${detail ? ": " + detail : ""}`);
    }
    return condition;
  }

  /** A shape check: no problems is a pass; the problems are printed otherwise. */
  shape(name, problems) {
    return this.ok(name + " matches AWS's shape", problems.length === 0, problems.join("; "));
  }

  skip(name, why) {
    this.skipped++;
    console.log(`  skip  ${this.label} ${name}: ${why}`);
  }

  /** Runs one step; an exception is a failed check, and the drive goes on. */
  async step(name, fn) {
    try {
      await fn();
    } catch (e) {
      this.ok(name, false, `${e.name ?? "Error"}: ${e.message}`);
    }
  }

  summary() {
    console.log(`${this.label}: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`);
  }
}

/** Polls until fn returns a truthy value (or throws after the timeout). */
export async function waitFor(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
