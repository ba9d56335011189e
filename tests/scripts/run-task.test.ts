/**
 * scripts/run-task.ts against a fake AWS and Pulumi CLI: which tasks it runs from the stack outputs, the
 * exact `aws ecs run-task` it issues, how it verifies the image, and how a task's exit decides the result.
 * The outputs are those a real evaluation of staging (with `backend.tasks.migrate`) exports.
 */
import assert from "node:assert/strict";
import {
  type RunTaskOptions,
  type Runner,
  UsageError,
  imageMatches,
  parseArgs,
  runTaskArguments,
  runTasks,
  taskOutcome,
  taskRuns,
} from "../../scripts/run-task";
import { evaluateStack } from "../../offline/evaluate";
import { ECS_CAPABILITIES } from "../fixtures/variants";
import { startEvaluations } from "../harness/prefetch";

const IMAGE = "123456789012.dkr.ecr.ap-south-1.amazonaws.com/helium-backend:v1";

interface Call {
  readonly file: string;
  readonly args: readonly string[];
}

/** A fake CLI: answers by the command, records every call. */
function fakeCli(
  outputs: unknown,
  options: { image?: string; exitCode?: number | null; stoppedAfter?: number; failures?: unknown[] } = {},
) {
  const calls: Call[] = [];
  let polls = 0;
  const run: Runner = (file, args) => {
    calls.push({ file, args });
    const command = `${file} ${args.slice(0, 2).join(" ")}`;
    if (command === "pulumi stack output") return Promise.resolve(JSON.stringify(outputs));
    if (command === "aws ecs describe-task-definition") {
      const family = args[args.indexOf("--task-definition") + 1];
      return Promise.resolve(
        JSON.stringify({
          taskDefinitionArn: `arn:aws:ecs:ap-south-1:123456789012:task-definition/${family}:7`,
          containerDefinitions: [{ name: "helium-backend", image: options.image ?? IMAGE }],
        }),
      );
    }
    if (command === "aws ecs run-task") {
      if (options.failures !== undefined)
        return Promise.resolve(JSON.stringify({ tasks: [], failures: options.failures }));
      return Promise.resolve(
        JSON.stringify({
          tasks: [{ taskArn: "arn:aws:ecs:ap-south-1:123456789012:task/helium-mumbai-staging-cluster/abc123" }],
        }),
      );
    }
    if (command === "aws ecs describe-tasks") {
      polls += 1;
      const stopped = polls >= (options.stoppedAfter ?? 2);
      return Promise.resolve(
        JSON.stringify({
          tasks: [
            {
              lastStatus: stopped ? "STOPPED" : "RUNNING",
              ...(stopped ? { stoppedReason: "Essential container in task exited" } : {}),
              containers: [
                {
                  name: "helium-backend",
                  ...(stopped && options.exitCode !== null ? { exitCode: options.exitCode ?? 0 } : {}),
                },
              ],
            },
          ],
        }),
      );
    }
    return Promise.reject(new Error(`unexpected command ${file} ${args.join(" ")}`));
  };
  return { run, calls };
}

const OPTIONS: RunTaskOptions = { stack: "staging", task: "migrate", timeoutMinutes: 1, dryRun: false, pollSeconds: 0 };

describe("scripts/run-task.ts", function () {
  this.timeout(180_000);
  startEvaluations([["staging", { configOverrides: ECS_CAPABILITIES }]]);
  let outputs: Record<string, unknown>;

  before(async () => {
    const evaluation = await evaluateStack("staging", {
      configOverrides: ECS_CAPABILITIES,
    });
    outputs = evaluation.outputs;
  });

  it("parses its arguments and rejects bad ones", () => {
    assert.deepEqual(parseArgs(["--stack", "staging", "--task", "migrate", "--expect-image-tag", "v1", "--dry-run"]), {
      stack: "staging",
      task: "migrate",
      expectImageTag: "v1",
      timeoutMinutes: 30,
      dryRun: true,
    });
    assert.throws(() => parseArgs(["--task", "migrate"]), UsageError);
    assert.throws(() => parseArgs(["--stack", "s", "--task", "m", "--timeout-minutes", "0"]), /--timeout-minutes/);
    assert.throws(() => parseArgs(["--stack", "s", "--task"]), /--task needs a value/);
    assert.throws(() => parseArgs(["--stack", "s", "--task", "m", "--force"]), /unknown argument --force/);
  });

  it("finds the task in the stack outputs: cluster, private subnets, the service's security group, family", () => {
    const regions = outputs.regions as Record<string, { oneOffTasks: { cluster: string; subnets: string[] } }>;
    const runs = taskRuns(outputs, { task: "migrate" });
    assert.equal(runs.length, 1);
    const [r] = runs;
    assert.equal(r.region, "ap-south-1");
    assert.equal(r.service, "backend");
    assert.equal(r.cluster, regions["ap-south-1"].oneOffTasks.cluster);
    assert.match(r.cluster, /:cluster\/helium-mumbai-staging-cluster$/);
    assert.deepEqual(r.subnets, regions["ap-south-1"].oneOffTasks.subnets);
    assert.equal(r.subnets.length, 2);
    assert.match(r.securityGroupId, /^sg-/);
    assert.equal(r.family, "helium-backend-migrate-task-staging-mum");
    assert.deepEqual(taskRuns(outputs, { task: "seed" }), []);
    assert.deepEqual(taskRuns(outputs, { task: "migrate", service: "worker" }), []);
    assert.deepEqual(taskRuns(outputs, { task: "migrate", region: "us-east-1" }), []);
  });

  it("builds the aws ecs run-task command: on-demand FARGATE, private subnets, the service's group, no public IP", () => {
    const [r] = taskRuns(outputs, { task: "migrate" });
    const args = runTaskArguments(r, "arn:td:7");
    const flag = (name: string) => args[args.indexOf(name) + 1];
    assert.deepEqual(args.slice(0, 2), ["ecs", "run-task"]);
    assert.equal(flag("--cluster"), r.cluster);
    assert.equal(flag("--task-definition"), "arn:td:7");
    assert.equal(flag("--capacity-provider-strategy"), "capacityProvider=FARGATE,weight=1");
    assert.equal(
      flag("--network-configuration"),
      `awsvpcConfiguration={subnets=[${r.subnets.join(",")}],securityGroups=[${r.securityGroupId}],assignPublicIp=DISABLED}`,
    );
    assert.equal(flag("--region"), "ap-south-1");
  });

  it("runs the latest revision of the family, waits for it to stop, and succeeds on exit code 0", async () => {
    const cli = fakeCli(outputs);
    const lines: string[] = [];
    assert.equal(await runTasks({ ...OPTIONS, expectImageTag: "v1" }, cli.run, (l) => lines.push(l)), 0);
    const commands = cli.calls.map((c) => `${c.file} ${c.args.slice(0, 2).join(" ")}`);
    assert.deepEqual(commands, [
      "pulumi stack output",
      "aws ecs describe-task-definition",
      "aws ecs run-task",
      "aws ecs describe-tasks",
      "aws ecs describe-tasks",
    ]);
    const runTask = cli.calls[2].args;
    assert.equal(
      runTask[runTask.indexOf("--task-definition") + 1],
      "arn:aws:ecs:ap-south-1:123456789012:task-definition/helium-backend-migrate-task-staging-mum:7",
    );
    assert.match(
      lines.at(-1) ?? "",
      /exited 0; log group \/helium\/staging\/backend, stream backend-task-migrate\/helium-backend\/abc123/,
    );
  });

  it("fails when the task exits non-zero or stops without an exit code", async () => {
    const lines: string[] = [];
    assert.equal(await runTasks(OPTIONS, fakeCli(outputs, { exitCode: 3 }).run, (l) => lines.push(l)), 1);
    assert.match(lines.at(-1) ?? "", /failed \(exit code 3: Essential container in task exited\)/);
    assert.equal(await runTasks(OPTIONS, fakeCli(outputs, { exitCode: null }).run, () => undefined), 1);
  });

  it("fails, running nothing, when the family's latest revision runs another image than expected", async () => {
    const cli = fakeCli(outputs, { image: IMAGE.replace(":v1", ":v0") });
    const lines: string[] = [];
    assert.equal(await runTasks({ ...OPTIONS, expectImageTag: "v1" }, cli.run, (l) => lines.push(l)), 1);
    assert.ok(!cli.calls.some((c) => c.args[1] === "run-task"));
    assert.match(lines.join("\n"), /runs .*helium-backend:v0, not v1/);
    assert.ok(imageMatches(`repo@sha256:${"a".repeat(64)}`, `sha256:${"a".repeat(64)}`));
    assert.ok(!imageMatches("repo:v10", "v1"));
  });

  it("fails when run-task starts nothing, and when the task outlives the timeout", async () => {
    assert.equal(
      await runTasks(OPTIONS, fakeCli(outputs, { failures: [{ reason: "RESOURCE:ENI" }] }).run, () => undefined),
      1,
    );
    const lines: string[] = [];
    const slow = fakeCli(outputs, { stoppedAfter: Number.POSITIVE_INFINITY });
    assert.equal(await runTasks({ ...OPTIONS, timeoutMinutes: 0 }, slow.run, (l) => lines.push(l)), 1);
    assert.match(lines.at(-1) ?? "", /did not stop within 0 minutes/);
  });

  it("runs nothing and succeeds when no service declares the task (Helium's defaults), or with --dry-run", async () => {
    const cli = fakeCli({ regions: { "ap-south-1": { services: {} } } });
    const lines: string[] = [];
    assert.equal(await runTasks(OPTIONS, cli.run, (l) => lines.push(l)), 0);
    assert.equal(cli.calls.length, 1);
    assert.match(lines[0], /no service of stack staging declares one-off task "migrate"/);
    const dry = fakeCli(outputs);
    assert.equal(await runTasks({ ...OPTIONS, dryRun: true }, dry.run, () => undefined), 0);
    assert.ok(!dry.calls.some((c) => c.args[1] === "run-task"));
  });

  it("reads describe-tasks output", () => {
    assert.deepEqual(taskOutcome({ tasks: [{ lastStatus: "RUNNING" }] }, "c"), { stopped: false });
    assert.deepEqual(
      taskOutcome({ tasks: [{ lastStatus: "STOPPED", containers: [{ name: "c", exitCode: 0 }] }] }, "c"),
      {
        stopped: true,
        exitCode: 0,
      },
    );
    assert.equal(taskOutcome({ tasks: [] }, "c").stopped, true);
  });
});
