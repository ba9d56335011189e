/**
 * One error type for bad input, whatever its source: stack config, a component's arguments, a StackReference.
 *
 * Problems are collected, never thrown one at a time, so one run names every bad key. The error extends
 * `pulumi.RunError` because the Node runtime prints a RunError as its message alone (`@pulumi/pulumi`
 * cmd/run: `log.error(err.message)`); any other error is printed with `util.inspect(err)`, which shows the
 * stack trace and, for a class with its own fields, an object dump that can hide the message. No field here
 * is named `stack`, `message` or `name`: such a field would overwrite Error's own.
 */
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";

/** One bad input: where it is, what it was, and what is allowed instead. */
export interface Problem {
  /** The key as the user wrote it: `helium:services.backend.port` in config, `spec.port` in component args. */
  readonly key: string;
  /** The value found; `undefined` when the key is missing. */
  readonly value: unknown;
  /** What is allowed, in words, e.g. "an integer in 1-65535". */
  readonly allowed: string;
}

/** Values longer than this are cut in messages; the full value stays on {@link InputError.problems}. */
const MAX_VALUE_CHARACTERS = 200;

/** A value as the message shows it: JSON where possible, `(missing)` for undefined. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? inspect(value, { depth: 4, breakLength: Infinity });
  } catch {
    text = inspect(value, { depth: 4, breakLength: Infinity });
  }
  return text.length > MAX_VALUE_CHARACTERS
    ? `${text.slice(0, MAX_VALUE_CHARACTERS)}… (${text.length} characters)`
    : text;
}

/** The message of an {@link InputError}: a headline, then one line per problem. */
export function renderProblems(source: string, problems: readonly Problem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.key}: ${renderValue(p.value)} — allowed: ${p.allowed}`);
  return [`Invalid input for ${source} (${count}); nothing was created:`, ...lines].join("\n");
}

/**
 * Bad input. `source` says whose input it was, e.g. `stack "staging"` or `HeliumService production-mumbai-backend`.
 * Thrown before any resource of that source is registered.
 */
export class InputError extends pulumi.RunError {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(renderProblems(source, problems));
    this.name = "InputError";
  }

  static isInputError(value: unknown): value is InputError {
    return value instanceof InputError;
  }
}

/** Collects problems; {@link Problems.throwIfAny} raises them together as one {@link InputError}. */
export class Problems {
  private readonly list: Problem[] = [];

  /** Records one problem; the same key, value and allowance found twice (by two rules) is recorded once. */
  add(key: string, value: unknown, allowed: string): void {
    const duplicate = this.list.some(
      (p) => p.key === key && p.allowed === allowed && renderValue(p.value) === renderValue(value),
    );
    if (!duplicate) this.list.push({ key, value, allowed });
  }

  /** Records problems found by a rule function, with `prefix` put in front of each key (e.g. `helium:services.api.`). */
  addAll(problems: readonly Problem[], prefix = ""): void {
    for (const p of problems) this.add(prefix + p.key, p.value, p.allowed);
  }

  get items(): readonly Problem[] {
    return this.list;
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** Throws one {@link InputError} listing every recorded problem; does nothing when there are none. */
  throwIfAny(source: string): void {
    if (this.list.length > 0) throw new InputError(source, [...this.list]);
  }
}

/** Joins key segments the way config is written: `a.b[0].c`. */
export function keyPath(...segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === "number") return `${path}[${segment}]`;
    return path === "" ? segment : `${path}.${segment}`;
  }, "");
}
