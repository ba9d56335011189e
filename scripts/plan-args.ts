/**
 * The offline plan's command line (scripts/plan.ts). Strict: an unknown option, an option without its value,
 * a value option given twice or a second stack is an error (exit 2 with the usage), never a plain plan.
 * A config key without a namespace is the project's (`imageTag` → `helium:imageTag`), as the Pulumi CLI reads it.
 */
import { PROJECT_NAME, stacksWithFiles } from "../offline/pulumi-yaml";

export type Overrides = Record<string, string | undefined>;

export interface PlanArgs {
  readonly stack: string;
  readonly json: boolean;
  readonly preview: boolean;
  readonly diffBase?: string;
  readonly freshReferences: boolean;
  readonly policyConfigFile?: string;
  readonly timingsFile?: string;
  readonly overrides: Overrides;
  readonly referenceOverrides: Record<string, Overrides>;
}

export const USAGE =
  "usage: npm run plan -- <stack> [--json] [--preview] [--diff <plan.json | git ref>] [--policy-config <file>] [--config [<stack>/]<key>=<value>]… [--remove-config [<stack>/]<key>]… [--fresh-references] [--timings <file>]";

const FLAGS = ["--json", "--preview", "--fresh-references"] as const;
const SINGLE_VALUED = ["--diff", "--policy-config", "--timings"] as const;
const REPEATED = ["--config", "--remove-config"] as const;
const OPTIONS: readonly string[] = [...FLAGS, ...SINGLE_VALUED, ...REPEATED];

/** A command-line mistake: scripts/plan.ts prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}

function unknownOption(arg: string): UsageError {
  const name = arg.split("=")[0];
  const near = OPTIONS.filter((o) => editDistance(name, o) <= 2);
  return new UsageError(`unknown option ${arg}${near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : ""}`);
}

/** `imageTag` → `<project>:imageTag`; a key with a namespace (`aws:region`) as it is. */
export function qualifiedKey(key: string, project: string = PROJECT_NAME): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

export function parsePlanArgs(
  argv: readonly string[],
  knownStacks: () => readonly string[] = stacksWithFiles,
): PlanArgs {
  const positional: string[] = [];
  const flags = new Set<string>();
  const single = new Map<string, string>();
  const overrides: Overrides = {};
  const referenceOverrides: Record<string, Overrides> = {};

  const set = (option: string, target: string, value: string | undefined) => {
    const slash = target.lastIndexOf("/");
    const key = target.slice(slash + 1);
    if (key === "" || key.endsWith(":")) throw new UsageError(`${option} ${target}: no key`);
    if (slash < 0) {
      overrides[qualifiedKey(key)] = value;
      return;
    }
    const stack = target.slice(0, slash);
    if (!knownStacks().includes(stack)) {
      throw new UsageError(
        `${option} ${target}: "${stack}" is not a stack (one of ${knownStacks().join(", ")}: a Pulumi.<stack>.yaml each)`,
      );
    }
    (referenceOverrides[stack] ??= {})[qualifiedKey(key)] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const option = equals > 0 ? arg.slice(0, equals) : arg;
    if ((FLAGS as readonly string[]).includes(option)) {
      if (equals > 0) throw new UsageError(`${option} takes no value: ${arg}`);
      flags.add(option);
      continue;
    }
    if (!(SINGLE_VALUED as readonly string[]).includes(option) && !(REPEATED as readonly string[]).includes(option))
      throw unknownOption(arg);
    let value: string;
    if (equals > 0) value = arg.slice(equals + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${option} needs a value`);
      value = next;
      i++;
    }
    if (value === "") throw new UsageError(`${option} needs a value`);
    if (option === "--config") {
      const at = value.indexOf("=");
      if (at <= 0) throw new UsageError(`--config takes [<stack>/]<key>=<value>, not "${value}"`);
      set(option, value.slice(0, at), value.slice(at + 1));
    } else if (option === "--remove-config") {
      if (value.includes("=")) throw new UsageError(`--remove-config takes [<stack>/]<key>, not "${value}"`);
      set(option, value, undefined);
    } else {
      if (single.has(option)) throw new UsageError(`${option} given twice`);
      single.set(option, value);
    }
  }
  if (positional.length !== 1) {
    // Stacks are data: the ones with a Pulumi.<stack>.yaml in the repository.
    const which = positional.length === 0 ? "no <stack>" : `one <stack>, not ${positional.join(" ")}`;
    throw new UsageError(`${which}; <stack> is one of ${knownStacks().join(", ")} (a Pulumi.<stack>.yaml each)`);
  }
  const diffBase = single.get("--diff");
  const policyConfigFile = single.get("--policy-config");
  const timingsFile = single.get("--timings");
  return {
    stack: positional[0],
    json: flags.has("--json"),
    preview: flags.has("--preview"),
    freshReferences: flags.has("--fresh-references"),
    overrides,
    referenceOverrides,
    ...(policyConfigFile !== undefined ? { policyConfigFile } : {}),
    ...(timingsFile !== undefined ? { timingsFile } : {}),
    ...(diffBase !== undefined ? { diffBase } : {}),
  };
}
