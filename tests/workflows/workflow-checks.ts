/**
 * Pure checks over parsed GitHub Actions workflow documents. Each check returns a list of violations
 * (empty = compliant) so tests can assert both that our workflows pass and that bad documents fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isScalar, parseDocument } from "yaml";

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly "continue-on-error"?: boolean | string;
  readonly "timeout-minutes"?: number | string;
}

export type Permissions = "read-all" | "write-all" | Record<string, string>;

export interface Concurrency {
  readonly group?: string;
  readonly "cancel-in-progress"?: boolean | string;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { readonly name?: string; readonly url?: string };
  readonly permissions?: Permissions;
  readonly concurrency?: string | Concurrency;
  readonly strategy?: { readonly matrix?: Record<string, unknown> };
  readonly env?: Record<string, unknown>;
  readonly steps?: Step[];
}

export interface Workflow {
  readonly name?: string;
  readonly on?: unknown;
  readonly permissions?: Permissions;
  readonly concurrency?: string | Concurrency;
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

export interface LoadedWorkflow {
  readonly file: string;
  readonly workflow: Workflow;
}

export const WORKFLOW_DIR = path.resolve(__dirname, "..", "..", ".github", "workflows");

/**
 * The comment on the same line as a step's `uses:` (`# v4.2.2`), without the `#`. Plain JS objects lose
 * YAML comments, so parseWorkflow records them here, keyed by the step object it returns.
 */
const usesComments = new WeakMap<Step, string>();

/** The trailing comment of a step's `uses:` line, when the step came from parseWorkflow. */
export const usesComment = (step: Step): string | undefined => usesComments.get(step);

/** Parses a workflow document; throws if it is not a mapping with `jobs`. */
export function parseWorkflow(text: string, label = "<inline>"): Workflow {
  const document = parseDocument(text);
  const doc: unknown = document.toJS();
  if (
    typeof doc !== "object" ||
    doc === null ||
    !("jobs" in doc) ||
    typeof doc.jobs !== "object" ||
    doc.jobs === null
  ) {
    throw new Error(`${label}: not a workflow (no jobs mapping)`);
  }
  const wf = doc as Workflow;
  for (const [jobId, job] of Object.entries(wf.jobs)) {
    (job?.steps ?? []).forEach((step, i) => {
      const node = document.getIn(["jobs", jobId, "steps", i, "uses"], true);
      if (isScalar(node) && typeof node.comment === "string") usesComments.set(step, node.comment.trim());
    });
  }
  return wf;
}

export function loadWorkflows(dir = WORKFLOW_DIR): LoadedWorkflow[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: f, workflow: parseWorkflow(fs.readFileSync(path.join(dir, f), "utf8"), f) }));
}

// ---------------------------------------------------------------------------------------------
// Reading the document
// ---------------------------------------------------------------------------------------------

const jobEntries = (wf: Workflow): [string, Job][] => Object.entries(wf.jobs);
const stepsOf = (job: Job): Step[] => job.steps ?? [];
const actionOf = (step: Step): string | undefined => step.uses?.split("@")[0]?.toLowerCase();
const label = (jobId: string, step: Step, index: number): string =>
  `${jobId}/${step.name ?? step.id ?? step.uses ?? `step ${index + 1}`}`;
/** A scalar input as YAML wrote it (`true`, `3`, `text`); undefined when absent or not a scalar. */
const str = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
/** A multi-value action input (pulumi/actions splits on newlines and commas). */
const listInput = (value: unknown): string[] =>
  (str(value) ?? "")
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
/** `./policy-pack/` and `policy-pack` name the same path. */
const normalisePath = (p: string): string => p.replace(/^\.\//, "").replace(/\/$/, "");

/** Shell text with `\` line continuations joined, split into logical lines. */
export function shellCommands(script: string): string[] {
  return script
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n|;|&&|\|\|/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Shell words of `text` up to the end of its command: quotes are removed, `${{ … }}` stays one word
 * (even unquoted), and an unquoted `)` or `|` ends the command (the close of a `$(…)` or a pipe).
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (text.startsWith("${{", i)) {
      const end = text.indexOf("}}", i);
      const stop = end < 0 ? text.length : end + 2;
      word += text.slice(i, stop);
      inWord = true;
      i = stop - 1;
    } else if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === ")" || c === "|") {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Values of a job's matrix axis, when `value` is exactly `${{ matrix.<axis> }}`; otherwise [value]. */
export function expandMatrix(job: Job, value: string): string[] {
  const m = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(value.trim());
  if (!m) return [value];
  const axis = job.strategy?.matrix?.[m[1]];
  return Array.isArray(axis) ? axis.map(String) : [value];
}

/** Values of the named flags (`--flag value` or `--flag=value`), quotes removed. */
export function flagValues(tokens: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  tokens.forEach((t, i) => {
    for (const n of names) {
      if (t === n && tokens[i + 1] !== undefined) values.push(tokens[i + 1]);
      else if (t.startsWith(`${n}=`)) values.push(t.slice(n.length + 1));
    }
  });
  return values.map((v) => v.replace(/^["']|["']$/g, ""));
}

/** Pulumi CLI flags that take a value, so the value is not mistaken for a positional argument. */
const PULUMI_VALUE_FLAGS = new Set([
  "-s",
  "--stack",
  "-m",
  "--message",
  "--policy-pack",
  "--policy-pack-config",
  "--secrets-provider",
  "-C",
  "--cwd",
  "-t",
  "--target",
  "--replace",
  "--exclude",
  "-p",
  "--parallel",
  "--config-file",
  "--copy-config-from",
]);
/** Commands with a subcommand (`pulumi stack select`, `pulumi config set`). */
const PULUMI_GROUPS = new Set(["stack", "config", "policy", "plugin", "org", "state"]);

/** One `pulumi …` command in a `run` step. */
export interface PulumiCall {
  readonly where: string;
  readonly jobId: string;
  readonly stepIndex: number;
  /** The command path: `["up"]`, `["stack", "select"]`, `["config", "set"]`. */
  readonly command: readonly string[];
  /** Arguments that are neither flags nor flag values (`apiUrl` in `pulumi stack output apiUrl`). */
  readonly positional: readonly string[];
  /** Every word after the command path. */
  readonly args: readonly string[];
  /** Stacks from `-s`/`--stack` (or the stack argument of `stack select|init`), matrix expanded. */
  readonly stacks: readonly string[];
}

/** Every `pulumi …` command of one step's `run` script, in order. */
function pulumiCallsOfStep(jobId: string, job: Job, step: Step, stepIndex: number): PulumiCall[] {
  if (step.run === undefined) return [];
  const where = label(jobId, step, stepIndex);
  const calls: PulumiCall[] = [];
  for (const line of shellCommands(step.run)) {
    // `pulumi` at a word start, also inside `$(…)` or a quoted substitution.
    const at = /(?:^|[\s"'(`])pulumi(?=\s)/.exec(line);
    if (!at) continue;
    const words = shellWords(line.slice(at.index + at[0].length));
    const command = words.slice(0, PULUMI_GROUPS.has(words[0] ?? "") ? 2 : 1);
    const args = words.slice(command.length);
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (PULUMI_VALUE_FLAGS.has(args[i])) i++;
      else if (!args[i].startsWith("-") && !/^\d*>/.test(args[i])) positional.push(args[i]);
    }
    const named = flagValues(args, ["-s", "--stack"]);
    const stackArg = command[0] === "stack" && ["select", "init"].includes(command[1] ?? "") ? positional : [];
    calls.push({
      where,
      jobId,
      stepIndex,
      command,
      positional,
      args,
      stacks: [...named, ...stackArg].flatMap((s) => expandMatrix(job, s)),
    });
  }
  return calls;
}

/** Every `pulumi …` command in `run` steps of the workflow. */
export function pulumiCalls(wf: Workflow): PulumiCall[] {
  return jobEntries(wf).flatMap(([jobId, job]) =>
    stepsOf(job).flatMap((step, i) => pulumiCallsOfStep(jobId, job, step, i)),
  );
}

export type PulumiCommand = "preview" | "up" | "destroy" | "refresh";

export interface PulumiInvocation {
  readonly where: string;
  readonly jobId: string;
  /** Index of the step in its job. */
  readonly stepIndex: number;
  readonly command: PulumiCommand;
  /** Stack names after matrix expansion; empty when the command names no stack. */
  readonly stacks: string[];
  /** Policy packs passed to the command. */
  readonly policyPacks: string[];
  /** Policy pack config files, position i configuring policy pack i (`--policy-pack-config`, `policyPackConfigs`). */
  readonly policyPackConfigs: string[];
  /** Whether the preview is posted on the PR (pulumi/actions `comment-on-pr`). */
  readonly commentsOnPr: boolean;
  /** Whether the step creates the stack when it does not exist (pulumi/actions `upsert`). */
  readonly upsert: boolean;
}

const PULUMI_OPERATIONS: readonly string[] = ["preview", "up", "update", "destroy", "refresh"];

/** Every `pulumi preview|up|destroy|refresh`, from `run` scripts and from pulumi/actions steps. */
export function pulumiInvocations(wf: Workflow): PulumiInvocation[] {
  const found: PulumiInvocation[] = [];
  for (const [jobId, job] of jobEntries(wf)) {
    stepsOf(job).forEach((step, i) => {
      for (const call of pulumiCallsOfStep(jobId, job, step, i)) {
        if (!PULUMI_OPERATIONS.includes(call.command[0])) continue;
        found.push({
          where: call.where,
          jobId,
          stepIndex: i,
          command: (call.command[0] === "update" ? "up" : call.command[0]) as PulumiCommand,
          stacks: [...call.stacks],
          policyPacks: flagValues(call.args, ["--policy-pack"]),
          policyPackConfigs: flagValues(call.args, ["--policy-pack-config"]),
          commentsOnPr: false,
          upsert: false,
        });
      }
      if (actionOf(step) === "pulumi/actions") {
        const raw = str(step.with?.["command"]);
        if (raw === undefined || !PULUMI_OPERATIONS.includes(raw)) return; // install-only or `output`
        const stackName = str(step.with?.["stack-name"]);
        found.push({
          where: label(jobId, step, i),
          jobId,
          stepIndex: i,
          command: (raw === "update" ? "up" : raw) as PulumiCommand,
          stacks: stackName === undefined ? [] : expandMatrix(job, stackName),
          policyPacks: listInput(step.with?.["policyPacks"]),
          policyPackConfigs: listInput(step.with?.["policyPackConfigs"]),
          commentsOnPr: str(step.with?.["comment-on-pr"]) === "true",
          upsert: str(step.with?.["upsert"]) === "true",
        });
      }
    });
  }
  return found;
}
/** Short stack name: `org/helium/staging` → `staging`. */
export const shortStack = (stack: string): string => stack.split("/").pop() ?? stack;

/** Branches of the `push` trigger, and whether the workflow has any other trigger. */
export function pushBranches(wf: Workflow): { branches: string[]; otherTriggers: string[] } {
  const on = wf.on;
  if (typeof on === "string") return { branches: [], otherTriggers: on === "push" ? ["push (any branch)"] : [on] };
  if (Array.isArray(on))
    return { branches: [], otherTriggers: on.map((t) => (t === "push" ? "push (any branch)" : String(t))) };
  if (typeof on !== "object" || on === null) return { branches: [], otherTriggers: [] };
  const triggers = on as Record<string, unknown>;
  const otherTriggers = Object.keys(triggers).filter((t) => t !== "push");
  const push = triggers["push"] as { branches?: unknown } | null | undefined;
  if (push === undefined) return { branches: [], otherTriggers };
  const branches = Array.isArray(push?.branches) ? push.branches.map(String) : [];
  if (branches.length === 0) otherTriggers.push("push (any branch)");
  return { branches, otherTriggers };
}

function effectivePermissions(wf: Workflow, job: Job): Permissions | undefined {
  return job.permissions ?? wf.permissions;
}

function grants(perms: Permissions | undefined, scope: string, level: "read" | "write"): boolean {
  if (perms === undefined || perms === "write-all") return true; // GitHub's default token may be write-all
  if (perms === "read-all") return level === "read";
  const value = perms[scope];
  return level === "read" ? value === "read" || value === "write" : value === "write";
}

/** Jobs that assume an AWS role (configure-aws-credentials with role-to-assume). */
export function awsRoleJobs(wf: Workflow): string[] {
  return jobEntries(wf)
    .filter(([, job]) =>
      stepsOf(job).some(
        (s) => actionOf(s) === "aws-actions/configure-aws-credentials" && s.with?.["role-to-assume"] !== undefined,
      ),
    )
    .map(([id]) => id);
}

function environmentName(job: Job): string | undefined {
  return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function concurrencyOf(value: string | Concurrency | undefined): Concurrency | undefined {
  return typeof value === "string" ? { group: value } : value;
}

/** Jobs `jobId` waits for, directly or transitively. */
export function upstreamJobs(wf: Workflow, jobId: string, seen = new Set<string>()): Set<string> {
  const needs = wf.jobs[jobId]?.needs;
  for (const n of needs === undefined ? [] : Array.isArray(needs) ? needs : [needs]) {
    if (!seen.has(n)) {
      seen.add(n);
      upstreamJobs(wf, n, seen);
    }
  }
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns violations, empty when the workflow complies
// ---------------------------------------------------------------------------------------------

export const POLICY_PACK_DIR = "policy-pack";
/** Levels and exemptions of the pack; without it the committed exemptions never apply. */
export const POLICY_CONFIG_FILE = "policy-config.json";

/**
 * What is wrong with the policy packs and configs of one preview or up, or undefined: it must run
 * `policy-pack` with `policy-config.json` at the same position, because the CLI pairs the n-th
 * `--policy-pack-config` with the n-th `--policy-pack` (and rejects unequal counts).
 */
export function policyPackProblem(packs: readonly string[], configs: readonly string[]): string | undefined {
  const at = packs.findIndex((pack) => normalisePath(pack) === POLICY_PACK_DIR);
  if (at < 0) return `runs without --policy-pack ${POLICY_PACK_DIR} (found ${packs.join(", ") || "none"})`;
  const config = configs[at];
  if (config === undefined || normalisePath(config) !== POLICY_CONFIG_FILE)
    return (
      `runs ${POLICY_PACK_DIR} without --policy-pack-config ${POLICY_CONFIG_FILE} ` +
      `(found ${configs.join(", ") || "none"}), so the committed exemptions and levels never apply`
    );
  if (configs.length !== packs.length)
    return `has ${packs.length} policy pack(s) but ${configs.length} config(s); the CLI pairs them by position`;
  return undefined;
}

/**
 * Every preview and up runs the policy pack with its config: `--policy-pack policy-pack
 * --policy-pack-config policy-config.json`, or pulumi/actions `policyPacks` + `policyPackConfigs`.
 */
export function policyPackViolations(wf: Workflow): string[] {
  return pulumiInvocations(wf)
    .filter((p) => p.command === "preview" || p.command === "up")
    .flatMap((p) => {
      const problem = policyPackProblem(p.policyPacks, p.policyPackConfigs);
      return problem === undefined ? [] : [`${p.where}: pulumi ${p.command} ${problem}`];
    });
}

/**
 * Workflow-level permissions are `contents: read` only; a job that assumes an AWS role has
 * `id-token: write` and no other job does; `pull-requests: write` only where a preview is commented.
 */
export function permissionViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  const top = wf.permissions;
  if (typeof top !== "object" || Object.keys(top).length !== 1 || top["contents"] !== "read") {
    violations.push(
      `workflow permissions must be exactly { contents: read } (found ${JSON.stringify(top ?? "default (possibly write-all)")})`,
    );
  }
  const roleJobs = new Set(awsRoleJobs(wf));
  const commenting = new Set([
    ...pulumiInvocations(wf)
      .filter((p) => p.commentsOnPr)
      .map((p) => p.jobId),
    // A run step that comments with the GitHub CLI (the offline diff job).
    ...jobEntries(wf)
      .filter(([, job]) => (job.steps ?? []).some((step) => /\bgh pr comment\b/.test(String(step.run ?? ""))))
      .map(([id]) => id),
  ]);
  for (const [id, job] of jobEntries(wf)) {
    const perms = effectivePermissions(wf, job);
    if (roleJobs.has(id) && !grants(perms, "id-token", "write"))
      violations.push(`${id}: assumes an AWS role but lacks permissions id-token: write`);
    if (!roleJobs.has(id) && grants(perms, "id-token", "write"))
      violations.push(`${id}: has id-token: write but assumes no AWS role`);
    if (commenting.has(id) && !grants(perms, "pull-requests", "write"))
      violations.push(`${id}: comments on the PR but lacks pull-requests: write`);
    if (!commenting.has(id) && grants(perms, "pull-requests", "write"))
      violations.push(`${id}: has pull-requests: write but posts no PR comment`);
    if (typeof perms === "object") {
      const extra = Object.entries(perms).filter(
        ([scope, level]) => level === "write" && !["id-token", "pull-requests"].includes(scope),
      );
      if (extra.length > 0)
        violations.push(`${id}: unexpected write permission(s) ${extra.map(([s]) => s).join(", ")}`);
    }
  }
  return violations;
}

const ACCESS_KEY_NAME = /access[-_]?key|secret[-_]access|session[-_]token/i;
const ACCESS_KEY_TEXT =
  /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|secrets\.[A-Za-z0-9_]*ACCESS_KEY|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/i;

/** No static AWS credentials: no key or input named like an access key, no secret reference or literal key. */
export function staticKeyViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (typeof node === "string") {
      const m = ACCESS_KEY_TEXT.exec(node);
      if (m) violations.push(`${at}: references static AWS credentials (${m[0]})`);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${at}[${i}]`));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (ACCESS_KEY_NAME.test(key)) violations.push(`${at}.${key}: is named like a static AWS credential`);
        walk(value, `${at}.${key}`);
      }
    }
  };
  walk(wf, "workflow");
  return violations;
}

/** Expected stack per deploy branch. */
export const BRANCH_STACKS: Readonly<Record<string, string>> = { beta: "staging", "migrated-demo2": "production" };

/**
 * A workflow that runs `pulumi up` is triggered only by a push to one branch and updates only that
 * branch's stack; a workflow with no `up` never names a deploy branch without deploying it.
 */
export function branchStackViolations(
  wf: Workflow,
  expected: Readonly<Record<string, string>> = BRANCH_STACKS,
): string[] {
  const ups = pulumiInvocations(wf).filter((p) => p.command === "up" || p.command === "destroy");
  if (ups.length === 0) return [];
  const violations: string[] = [];
  const { branches, otherTriggers } = pushBranches(wf);
  if (otherTriggers.length > 0)
    violations.push(
      `a deploy workflow must run only on push to its branch (also triggered by ${otherTriggers.join(", ")})`,
    );
  if (branches.length !== 1)
    violations.push(
      `a deploy workflow must be triggered by exactly one branch (found ${branches.join(", ") || "none"})`,
    );
  for (const branch of branches) {
    const stack = expected[branch];
    if (stack === undefined) {
      violations.push(
        `branch ${branch} has no stack (known: ${Object.entries(expected)
          .map(([b, s]) => `${b} → ${s}`)
          .join(", ")})`,
      );
      continue;
    }
    for (const up of ups) {
      if (up.stacks.length === 0) violations.push(`${up.where}: pulumi ${up.command} names no stack`);
      for (const s of up.stacks.map(shortStack)) {
        if (s !== stack)
          violations.push(
            `${up.where}: branch ${branch} must deploy only ${stack}, but runs pulumi ${up.command} on ${s}`,
          );
      }
    }
  }
  return violations;
}

/** Stacks a workflow deploys (`pulumi up`), short names. */
export function deployedStacks(wf: Workflow): string[] {
  return [
    ...new Set(
      pulumiInvocations(wf)
        .filter((p) => p.command === "up")
        .flatMap((p) => p.stacks.map(shortStack)),
    ),
  ].sort();
}

/**
 * Deploy workflows hold a workflow-level concurrency group named after the stack, constant across
 * runs, with cancel-in-progress false, so two updates of one stack never overlap or get cut off.
 */
export function deployConcurrencyViolations(wf: Workflow): string[] {
  const stacks = deployedStacks(wf);
  if (stacks.length === 0) return [];
  const c = concurrencyOf(wf.concurrency);
  const violations: string[] = [];
  if (c?.group === undefined) return [`deploy workflow (${stacks.join(", ")}) has no workflow-level concurrency group`];
  if (c.group.includes("${{"))
    violations.push(`concurrency group "${c.group}" varies between runs; deploys of one stack must share one group`);
  for (const s of stacks)
    if (c.group !== `deploy-${s}`) violations.push(`concurrency group "${c.group}" should be deploy-${s}`);
  if (c["cancel-in-progress"] !== false)
    violations.push(
      `concurrency cancel-in-progress must be false (found ${String(c["cancel-in-progress"] ?? "unset")}): a cancelled pulumi up leaves a half-applied stack`,
    );
  return violations;
}

/** PR workflows cancel superseded runs of the same PR. */
export function pullRequestConcurrencyViolations(wf: Workflow): string[] {
  const c = concurrencyOf(wf.concurrency);
  if (c?.group === undefined) return ["pull-request workflow has no concurrency group"];
  const violations: string[] = [];
  if (!/github\.event\.pull_request\.number|github\.head_ref|github\.ref\b/.test(c.group))
    violations.push(`concurrency group "${c.group}" is not per pull request`);
  if (c["cancel-in-progress"] !== true) violations.push("pull-request concurrency must cancel in progress");
  return violations;
}

/**
 * Jobs that update `stack` wait for the GitHub environment `environment` (required reviewers): they
 * name it themselves or need, directly or transitively, a job that does.
 */
export function approvalViolations(wf: Workflow, stack = "production", environment = "production"): string[] {
  const jobs = new Set(
    pulumiInvocations(wf)
      .filter((p) => p.command === "up" && p.stacks.map(shortStack).includes(stack))
      .map((p) => p.jobId),
  );
  const gated = (id: string): boolean =>
    [id, ...upstreamJobs(wf, id)].some((j) => wf.jobs[j] !== undefined && environmentName(wf.jobs[j]) === environment);
  return [...jobs]
    .filter((id) => !gated(id))
    .map((id) => `${id}: updates ${stack} without waiting for environment: ${environment} (its own or a needed job's)`);
}

export interface RoleAssumption {
  readonly jobId: string;
  /** The role-to-assume expression, e.g. `${{ vars.AWS_STAGING_DEPLOY_ROLE_ARN }}`. */
  readonly role: string;
  /** The OIDC `sub` claims GitHub would issue for this job (default claim template). */
  readonly subjects: string[];
}

/**
 * GitHub's default OIDC subject: `repo:<repo>:environment:<name>` when the job names an environment,
 * else `repo:<repo>:pull_request` for pull_request runs, else `repo:<repo>:ref:refs/heads/<branch>`
 * per pushed branch.
 */
export function roleAssumptions(wf: Workflow, repository: string): RoleAssumption[] {
  const on = wf.on;
  const onPullRequest =
    typeof on === "object" && on !== null && !Array.isArray(on)
      ? "pull_request" in on
      : on === "pull_request" || (Array.isArray(on) && on.includes("pull_request"));
  const { branches } = pushBranches(wf);
  return awsRoleJobs(wf).map((jobId) => {
    const job = wf.jobs[jobId];
    const env = environmentName(job);
    const subjects =
      env !== undefined
        ? [`repo:${repository}:environment:${env}`]
        : [
            ...(onPullRequest ? [`repo:${repository}:pull_request`] : []),
            ...branches.map((b) => `repo:${repository}:ref:refs/heads/${b}`),
          ];
    const step = stepsOf(job).find(
      (s) => actionOf(s) === "aws-actions/configure-aws-credentials" && s.with?.["role-to-assume"] !== undefined,
    )!;
    return { jobId, role: String(step.with!["role-to-assume"]), subjects };
  });
}

/** Jobs that run `pulumi up` depend (transitively) on a job that runs `npm test`. */
export function testsBeforeDeployViolations(wf: Workflow): string[] {
  const testJobs = new Set(
    jobEntries(wf)
      .filter(([, job]) => stepsOf(job).some((s) => s.run !== undefined && shellCommands(s.run).includes("npm test")))
      .map(([id]) => id),
  );
  const upJobs = new Set(
    pulumiInvocations(wf)
      .filter((p) => p.command === "up")
      .map((p) => p.jobId),
  );
  return [...upJobs]
    .filter((id) => ![...upstreamJobs(wf, id)].some((u) => testJobs.has(u)))
    .map((id) => `${id}: runs pulumi up without needing a job that runs npm test`);
}

export interface ImageBuild {
  readonly where: string;
  readonly jobId: string;
  readonly platforms: string[];
  /** Repository names from the pushed tags (`<registry>/<repo>:<tag>` → repo). */
  readonly repositories: string[];
  readonly registries: string[];
  readonly pushes: boolean;
}

function splitImageRef(ref: string): { registry: string; repository: string } {
  const withoutTag = ref.replace(/:[^:/]*$/, "");
  const slash = withoutTag.lastIndexOf("/");
  return { registry: slash < 0 ? "" : withoutTag.slice(0, slash), repository: withoutTag.slice(slash + 1) };
}

/** Image builds: docker/build-push-action steps and `docker build` / `docker buildx build` commands. */
export function imageBuilds(wf: Workflow): ImageBuild[] {
  const builds: ImageBuild[] = [];
  for (const [jobId, job] of jobEntries(wf)) {
    stepsOf(job).forEach((step, i) => {
      const where = label(jobId, step, i);
      if (actionOf(step) === "docker/build-push-action") {
        const tags = (str(step.with?.["tags"]) ?? "")
          .split(/[\n,]/)
          .map((t) => t.trim())
          .filter((t) => t.length > 0);
        const refs = tags.map(splitImageRef);
        builds.push({
          where,
          jobId,
          platforms: (str(step.with?.["platforms"]) ?? "")
            .split(",")
            .map((p) => p.trim())
            .filter((p) => p.length > 0),
          repositories: refs.map((r) => r.repository),
          registries: refs.map((r) => r.registry),
          pushes: str(step.with?.["push"]) === "true",
        });
      }
      if (step.run !== undefined) {
        for (const line of shellCommands(step.run)) {
          if (!/(?:^|\s)docker\s+(?:buildx\s+)?build(?=\s|$)/.test(line)) continue;
          const tokens = line.split(/\s+/);
          const refs = flagValues(tokens, ["-t", "--tag"]).map(splitImageRef);
          builds.push({
            where,
            jobId,
            platforms: flagValues(tokens, ["--platform"]).flatMap((p) => p.split(",")),
            repositories: refs.map((r) => r.repository),
            registries: refs.map((r) => r.registry),
            pushes: tokens.includes("--push"),
          });
        }
      }
    });
  }
  return builds;
}

/**
 * Images are built for linux/arm64 only, each repository once per workflow run (no matrix fan-out,
 * e.g. per region), pushed to one registry; replication does the rest.
 */
export function imageBuildViolations(wf: Workflow, platform = "linux/arm64"): string[] {
  const builds = imageBuilds(wf);
  const violations: string[] = [];
  for (const b of builds) {
    if (b.platforms.length !== 1 || b.platforms[0] !== platform)
      violations.push(
        `${b.where}: builds for ${b.platforms.join(", ") || "the runner's platform"}, must be exactly ${platform}`,
      );
    if (b.repositories.length === 0) violations.push(`${b.where}: build has no tag naming its repository`);
    const matrix = wf.jobs[b.jobId]?.strategy?.matrix;
    if (matrix !== undefined)
      violations.push(
        `${b.where}: build job ${b.jobId} has a matrix (${Object.keys(matrix).join(", ")}), so the image is built more than once`,
      );
  }
  const counts = new Map<string, number>();
  for (const repo of builds.flatMap((b) => b.repositories)) counts.set(repo, (counts.get(repo) ?? 0) + 1);
  for (const [repo, n] of counts)
    if (n > 1) violations.push(`${repo} is built ${n} times; build once and let registry replication copy it`);
  const registries = new Set(builds.filter((b) => b.pushes).flatMap((b) => b.registries));
  if (registries.size > 1)
    violations.push(
      `images are pushed to ${registries.size} registries (${[...registries].join(", ")}); push once to the home region`,
    );
  return violations;
}

const ECS_POKE_ACTIONS = [
  "aws-actions/amazon-ecs-deploy-task-definition",
  "aws-actions/amazon-ecs-render-task-definition",
];
const ECS_POKE_COMMAND = /(?:^|\s)aws\s+ecs(?=\s|$)|register-task-definition|update-service/;

/** Pulumi is the only thing that changes infrastructure: no ECS deploy actions or `aws ecs` commands. */
export function ecsPokeViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  for (const [jobId, job] of jobEntries(wf)) {
    stepsOf(job).forEach((step, i) => {
      const action = actionOf(step);
      if (action !== undefined && ECS_POKE_ACTIONS.includes(action))
        violations.push(`${label(jobId, step, i)}: uses ${action}; deploy with pulumi up instead`);
      if (step.run !== undefined && shellCommands(step.run).some((l) => ECS_POKE_COMMAND.test(l)))
        violations.push(`${label(jobId, step, i)}: changes ECS with the AWS CLI; deploy with pulumi up instead`);
    });
  }
  return violations;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
/** The release a SHA pin stands for, `v4.2.2`: what reviewers read and Dependabot rewrites. */
const VERSION_COMMENT = /^v\d+\.\d+\.\d+$/;

/**
 * Every action is pinned to a full 40-hex commit SHA, with its release in a comment on the same line
 * (`uses: actions/checkout@<sha> # v4.2.2`). A tag or branch can be moved to other code after review;
 * a commit cannot. `docker://` images are pinned by digest for the same reason. Local actions (`./…`)
 * are part of this repository. Comments are known only for steps that came from parseWorkflow.
 */
export function actionPinViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  for (const [jobId, job] of jobEntries(wf)) {
    stepsOf(job).forEach((step, i) => {
      if (step.uses === undefined || step.uses.startsWith("./")) return;
      const where = label(jobId, step, i);
      if (step.uses.startsWith("docker://")) {
        if (!/@sha256:[0-9a-f]{64}$/.test(step.uses))
          violations.push(`${where}: ${step.uses} is not pinned to an image digest (@sha256:…)`);
        return;
      }
      const ref = step.uses.split("@")[1];
      if (ref === undefined || !FULL_SHA.test(ref)) {
        violations.push(
          `${where}: ${step.uses} is not pinned to a full commit SHA (a tag or branch can move to unreviewed code)`,
        );
        return;
      }
      const comment = usesComment(step);
      if (comment === undefined || !VERSION_COMMENT.test(comment))
        violations.push(
          `${where}: ${step.uses} has no version comment (found ${comment === undefined ? "none" : `"# ${comment}"`}); ` +
            "write the release it pins, e.g. # v4.2.2",
        );
    });
  }
  return violations;
}

/**
 * Before a step runs a Pulumi command on a stack, the job has created or selected it, so the first
 * deploy against a new backend does not fail with "stack not found": `pulumi stack select --create <s>`,
 * `pulumi stack init <s>`, or pulumi/actions with `upsert: true` (which creates the stack itself).
 * `pulumi stack output` is exempt: it reads another stack's outputs, and creating that stack empty would
 * only replace a clear "not found" with a missing output.
 */
export function stackExistenceViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  for (const [jobId, job] of jobEntries(wf)) {
    const ensured = new Set<string>();
    let selected: string[] = [];
    stepsOf(job).forEach((step, i) => {
      for (const call of pulumiCallsOfStep(jobId, job, step, i)) {
        const [group, sub] = call.command;
        const creates =
          group === "stack" &&
          (sub === "init" || (sub === "select" && call.args.some((a) => a === "-c" || a === "--create")));
        if (creates) {
          call.stacks.forEach((s) => ensured.add(s));
          selected = [...call.stacks];
          continue;
        }
        const needsStack =
          ["preview", "up", "update", "refresh", "destroy", "config", "import", "cancel", "state"].includes(group) ||
          (group === "stack" && ["select", "tag", "export", "import", "rm", "history"].includes(sub ?? ""));
        if (!needsStack) continue;
        const targets = call.stacks.length > 0 ? call.stacks : selected;
        if (targets.length === 0)
          violations.push(`${call.where}: pulumi ${call.command.join(" ")} names no stack and none is selected`);
        for (const s of targets.filter((t) => !ensured.has(t)))
          violations.push(
            `${call.where}: pulumi ${call.command.join(" ")} on ${s} before the job creates it ` +
              `(run pulumi stack select --create ${s} first); against a new backend it fails with "stack not found"`,
          );
        if (group === "stack" && sub === "select") selected = [...call.stacks];
      }
      if (actionOf(step) === "pulumi/actions") {
        const command = str(step.with?.["command"]);
        if (command === undefined || command === "output") return;
        const stackName = str(step.with?.["stack-name"]);
        const stacks = stackName === undefined ? [] : expandMatrix(job, stackName);
        if (str(step.with?.["upsert"]) === "true") stacks.forEach((s) => ensured.add(s));
        else
          for (const s of stacks.filter((t) => !ensured.has(t)))
            violations.push(
              `${label(jobId, step, i)}: pulumi/actions ${command} on ${s} without upsert: true and before the job creates the stack`,
            );
      }
    });
  }
  return violations;
}

/** The script that checks a deployed environment through its public name (tests run it for real). */
export const SMOKE_SCRIPT = ".github/scripts/smoke-check.sh";
/** The backend's health path (the ALB's target-group check uses the same path). */
export const HEALTH_PATH = "/api/health";

/**
 * After each `pulumi up` of a stack, a later step of the same job runs the smoke check against that
 * stack's public name: it reads `pulumi stack output apiUrl --stack <s>` and runs SMOKE_SCRIPT on
 * `<apiUrl>/api/health`. The step cannot be skipped or ignored (no `if:`, no `continue-on-error`), so
 * a deploy that leaves the environment unreachable fails its job.
 */
export function smokeCheckViolations(wf: Workflow): string[] {
  const violations: string[] = [];
  for (const up of pulumiInvocations(wf).filter((p) => p.command === "up")) {
    const job = wf.jobs[up.jobId];
    const later = stepsOf(job).slice(up.stepIndex + 1);
    for (const stack of up.stacks) {
      const smoke = later.find((step, k) => {
        const reads = pulumiCallsOfStep(up.jobId, job, step, up.stepIndex + 1 + k).some(
          (c) => c.command.join(" ") === "stack output" && c.positional[0] === "apiUrl" && c.stacks.includes(stack),
        );
        const script = shellCommands(step.run ?? "").some((l) => l.includes(SMOKE_SCRIPT) && l.includes(HEALTH_PATH));
        return reads && script;
      });
      if (smoke === undefined) {
        violations.push(
          `${up.where}: pulumi up of ${stack} is not followed by a smoke check ` +
            `(${SMOKE_SCRIPT} on the apiUrl output of ${stack} + ${HEALTH_PATH})`,
        );
        continue;
      }
      const where = label(up.jobId, smoke, stepsOf(job).indexOf(smoke));
      if (smoke.if !== undefined) violations.push(`${where}: the smoke check has if: ${smoke.if}; it must always run`);
      const ignored = smoke["continue-on-error"];
      if (ignored !== undefined && String(ignored) !== "false")
        violations.push(`${where}: the smoke check has continue-on-error, so a failure would not fail the deploy`);
    }
  }
  return violations;
}
