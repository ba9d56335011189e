/**
 * Runs a one-off task (`services.<name>.tasks`, e.g. `migrate`) of a deployed stack and waits for its exit:
 *
 *   npm run task -- --stack staging --task migrate [--service backend] [--region ap-south-1]
 *                   [--expect-image-tag <tag | sha256:…>] [--timeout-minutes 30] [--dry-run]
 *
 * Everything comes from the stack outputs (`regions.<region>.oneOffTasks`: cluster, private subnets, and per
 * service and task the task definition family, container, security group and log group), so the task runs
 * exactly where the service runs. Per region and service declaring the task, in turn:
 *  1. `aws ecs describe-task-definition` of the family: the latest ACTIVE revision, i.e. the one Pulumi
 *     registered last. With --expect-image-tag its app image must carry that tag or digest (CI registers this
 *     commit's definitions with a targeted `pulumi up` first; docs/ecs.md).
 *  2. `aws ecs run-task` of that exact revision on on-demand FARGATE (a migration must not be interrupted by
 *     Spot), in the service's private subnets and security group, no public IP.
 *  3. `aws ecs describe-tasks` until the task stops; the run succeeds only if the container exited 0.
 * Exit codes: 0 every task succeeded (or no service declares the task), 1 a task failed, 2 bad usage or an
 * AWS/Pulumi CLI error. --dry-run prints the `aws ecs run-task` command lines and runs nothing.
 *
 * The AWS and Pulumi CLIs are invoked as programs (no shell); tests pass a fake runner.
 */
import { execFile } from "node:child_process";
import { oneOffLogStreamPrefix } from "../components/service/containers";

/** Runs a program with arguments and resolves with its stdout; rejects with its stderr on a non-zero exit. */
export type Runner = (file: string, args: readonly string[]) => Promise<string>;

export interface RunTaskOptions {
  readonly stack: string;
  readonly task: string;
  readonly service?: string;
  readonly region?: string;
  /** Tag (`v42`) or digest (`sha256:…`) the task definition's image must carry. */
  readonly expectImageTag?: string;
  readonly timeoutMinutes: number;
  readonly dryRun: boolean;
  /** Seconds between describe-tasks polls. Defaults to 6 (the AWS CLI waiter's interval). */
  readonly pollSeconds?: number;
}

export class UsageError extends Error {}

/** Parses `--flag value` arguments; throws UsageError naming what is wrong. */
export function parseArgs(argv: readonly string[]): RunTaskOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dry-run") flags.add(arg);
    else if (["--stack", "--task", "--service", "--region", "--expect-image-tag", "--timeout-minutes"].includes(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      values.set(arg, value);
      i++;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  const stack = values.get("--stack");
  const task = values.get("--task");
  if (stack === undefined || task === undefined) throw new UsageError("--stack and --task are required");
  const timeout = Number(values.get("--timeout-minutes") ?? "30");
  if (!Number.isInteger(timeout) || timeout < 1) throw new UsageError("--timeout-minutes must be a whole number ≥ 1");
  const optional = (flag: string, key: "service" | "region" | "expectImageTag") =>
    values.has(flag) ? { [key]: values.get(flag) as string } : {};
  return {
    stack,
    task,
    ...optional("--service", "service"),
    ...optional("--region", "region"),
    ...optional("--expect-image-tag", "expectImageTag"),
    timeoutMinutes: timeout,
    dryRun: flags.has("--dry-run"),
  };
}

/** One task to run: a service's one-off task in one region, with where it runs. */
export interface TaskRun {
  readonly region: string;
  readonly service: string;
  readonly task: string;
  readonly cluster: string;
  readonly subnets: readonly string[];
  readonly securityGroupId: string;
  readonly family: string;
  readonly containerName: string;
  readonly logGroup: string;
}

interface OneOffOutputs {
  readonly cluster: string;
  readonly subnets: readonly string[];
  readonly tasks: Readonly<
    Record<
      string,
      Readonly<Record<string, { family: string; containerName: string; securityGroupId: string; logGroup: string }>>
    >
  >;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The runs the stack outputs describe for `options.task` (filtered by service and region), in output order. */
export function taskRuns(outputs: unknown, options: Pick<RunTaskOptions, "task" | "service" | "region">): TaskRun[] {
  const regions = isRecord(outputs) && isRecord(outputs["regions"]) ? outputs["regions"] : {};
  const runs: TaskRun[] = [];
  for (const [region, value] of Object.entries(regions)) {
    if (options.region !== undefined && region !== options.region) continue;
    const oneOff = isRecord(value) ? (value["oneOffTasks"] as OneOffOutputs | undefined) : undefined;
    if (oneOff === undefined) continue;
    for (const [service, tasks] of Object.entries(oneOff.tasks)) {
      if (options.service !== undefined && service !== options.service) continue;
      const task = tasks[options.task];
      if (task === undefined) continue;
      runs.push({
        region,
        service,
        task: options.task,
        cluster: oneOff.cluster,
        subnets: oneOff.subnets,
        securityGroupId: task.securityGroupId,
        family: task.family,
        containerName: task.containerName,
        logGroup: task.logGroup,
      });
    }
  }
  return runs;
}

/** `aws ecs run-task` arguments for `run` on task definition revision `taskDefinitionArn`. */
export function runTaskArguments(run: TaskRun, taskDefinitionArn: string): string[] {
  const network = `awsvpcConfiguration={subnets=[${run.subnets.join(",")}],securityGroups=[${run.securityGroupId}],assignPublicIp=DISABLED}`;
  return [
    "ecs",
    "run-task",
    "--region",
    run.region,
    "--cluster",
    run.cluster,
    "--task-definition",
    taskDefinitionArn,
    "--count",
    "1",
    // On-demand: a Spot interruption would stop a migration half-way.
    "--capacity-provider-strategy",
    "capacityProvider=FARGATE,weight=1",
    "--platform-version",
    "LATEST",
    "--network-configuration",
    network,
    "--started-by",
    `helium-${run.task}`.slice(0, 36),
    "--propagate-tags",
    "TASK_DEFINITION",
    "--output",
    "json",
  ];
}

/** Whether `image` carries `tag`: `…:<tag>` for a tag, `…@<digest>` for a digest. */
export function imageMatches(image: string, tag: string): boolean {
  return tag.startsWith("sha256:") ? image.endsWith(`@${tag}`) : image.endsWith(`:${tag}`);
}

/** The outcome of a stopped task: its container's exit code, or why there is none. */
export interface TaskOutcome {
  readonly stopped: boolean;
  readonly exitCode?: number;
  readonly reason?: string;
}

/** Reads `aws ecs describe-tasks` output for the one task and its container `containerName`. */
export function taskOutcome(describeTasks: unknown, containerName: string): TaskOutcome {
  const tasks: unknown = isRecord(describeTasks) ? describeTasks["tasks"] : undefined;
  const task: unknown = Array.isArray(tasks) ? (tasks as unknown[])[0] : undefined;
  if (!isRecord(task)) return { stopped: true, reason: "describe-tasks returned no task" };
  if (task["lastStatus"] !== "STOPPED") return { stopped: false };
  const containers = Array.isArray(task["containers"]) ? task["containers"] : [];
  const container = containers.find((c) => isRecord(c) && c["name"] === containerName) as
    | Record<string, unknown>
    | undefined;
  const exitCode = container?.["exitCode"];
  const reasons = [task["stoppedReason"], container?.["reason"]].filter((r) => typeof r === "string");
  return {
    stopped: true,
    ...(typeof exitCode === "number" ? { exitCode } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
  };
}

/** The command line as one would type it (for logs and --dry-run). */
export function commandLine(file: string, args: readonly string[]): string {
  const quote = (a: string) => (/^[A-Za-z0-9_./:=,@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [file, ...args].map(quote).join(" ");
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Runs every matching task in turn; resolves with the exit code (see the module comment). */
export async function runTasks(options: RunTaskOptions, run: Runner, log: (line: string) => void): Promise<number> {
  const outputs = JSON.parse(await run("pulumi", ["stack", "output", "--json", "--stack", options.stack])) as unknown;
  const runs = taskRuns(outputs, options);
  if (runs.length === 0) {
    log(`no service of stack ${options.stack} declares one-off task "${options.task}" in its outputs: nothing to run`);
    return 0;
  }
  for (const r of runs) {
    const where = `${r.service}/${r.task} in ${r.region}`;
    const described = JSON.parse(
      await run("aws", [
        "ecs",
        "describe-task-definition",
        "--region",
        r.region,
        "--task-definition",
        r.family,
        "--query",
        "taskDefinition",
        "--output",
        "json",
      ]),
    ) as { taskDefinitionArn?: string; containerDefinitions?: Array<{ name?: string; image?: string }> };
    const arn = described.taskDefinitionArn;
    const image = described.containerDefinitions?.find((c) => c.name === r.containerName)?.image;
    if (arn === undefined || image === undefined) {
      log(`${where}: task definition ${r.family} has no container ${r.containerName}`);
      return 1;
    }
    if (options.expectImageTag !== undefined && !imageMatches(image, options.expectImageTag)) {
      log(
        `${where}: ${arn} runs ${image}, not ${options.expectImageTag}; register this image's one-off task definitions first (docs/ecs.md, "One-off tasks")`,
      );
      return 1;
    }
    const args = runTaskArguments(r, arn);
    log(`${where}: ${commandLine("aws", args)}`);
    if (options.dryRun) continue;
    const started = JSON.parse(await run("aws", args)) as { tasks?: Array<{ taskArn?: string }>; failures?: unknown[] };
    const taskArn = started.tasks?.[0]?.taskArn;
    if (taskArn === undefined) {
      log(`${where}: run-task started nothing: ${JSON.stringify(started.failures ?? [])}`);
      return 1;
    }
    const deadline = Date.now() + options.timeoutMinutes * 60_000;
    let outcome: TaskOutcome = { stopped: false };
    while (!outcome.stopped) {
      if (Date.now() > deadline) {
        log(`${where}: ${taskArn} did not stop within ${options.timeoutMinutes} minutes`);
        return 1;
      }
      await sleep(options.pollSeconds ?? 6);
      const tasks = JSON.parse(
        await run("aws", [
          "ecs",
          "describe-tasks",
          "--region",
          r.region,
          "--cluster",
          r.cluster,
          "--tasks",
          taskArn,
          "--output",
          "json",
        ]),
      ) as unknown;
      outcome = taskOutcome(tasks, r.containerName);
    }
    const taskId = taskArn.split("/").pop() ?? taskArn;
    const prefix = oneOffLogStreamPrefix({ name: r.service }, { name: r.task });
    const logs = `log group ${r.logGroup}, stream ${prefix}/${r.containerName}/${taskId}`;
    if (outcome.exitCode !== 0) {
      log(
        `${where}: ${taskArn} failed (exit code ${outcome.exitCode ?? "none"}${outcome.reason !== undefined ? `: ${outcome.reason}` : ""}); ${logs}`,
      );
      return 1;
    }
    log(`${where}: ${taskArn} exited 0; ${logs}`);
  }
  return 0;
}

/** Runs a program without a shell. */
const execRunner: Runner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${commandLine(file, args)} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });

async function main(): Promise<number> {
  let options: RunTaskOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\nusage: npm run task -- --stack <stack> --task <name> [--service <name>] [--region <code>] [--expect-image-tag <tag>] [--timeout-minutes <n>] [--dry-run]\n`,
    );
    return 2;
  }
  try {
    return await runTasks(options, execRunner, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) void main().then((code) => process.exit(code));
