/**
 * The offline plan's command line (scripts/plan.ts), read by Node's `util.parseArgs`. Strict: an unknown
 * option, an option without its value, a value option given twice or a second stack is an error (exit 2 with
 * the usage), never a plain plan.
 * A config key without a namespace is the project's (`imageTag` → `helium:imageTag`), as the Pulumi CLI reads it.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
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

const PARSE_OPTIONS = Object.fromEntries([
  ...FLAGS.map((f) => [f.slice(2), { type: "boolean" }] as const),
  ...[...SINGLE_VALUED, ...REPEATED].map((o) => [o.slice(2), { type: "string", multiple: true }] as const),
]) as ParseArgsConfig["options"];

/** parseArgs' error as ours: the option named as the user typed it, with a suggestion for a typo. */
function usageErrorOf(error: Error & { code?: string }, argv: readonly string[]): UsageError {
  const named = /'(-[^' ]*)/.exec(error.message)?.[1] ?? "";
  const option = named.split("=")[0];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return unknownOption(argv.find((a) => a.split("=")[0] === option) ?? named);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      // A value after a flag (`--json=x`), or a value option with none (`--diff` last, or `--diff --json`).
      return (FLAGS as readonly string[]).includes(option)
        ? new UsageError(`${option} takes no value: ${argv.find((a) => a.startsWith(`${option}=`)) ?? option}`)
        : new UsageError(`${option} needs a value`);
    default:
      return new UsageError(error.message);
  }
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

  // Node's own parser (strict: unknown options, missing values); tokens keep the order and what was repeated.
  let tokens: NonNullable<ReturnType<typeof parseArgs>["tokens"]>;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options: PARSE_OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (error) {
    throw usageErrorOf(error as Error & { code?: string }, argv);
  }
  for (const token of tokens) {
    if (token.kind === "positional") {
      positional.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const option = token.rawName;
    if ((FLAGS as readonly string[]).includes(option)) {
      flags.add(option);
      continue;
    }
    const value = token.value ?? "";
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
