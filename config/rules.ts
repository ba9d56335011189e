/**
 * Cross-field rules of a stack's config, run on every key that parsed. zod skips an object's refinements once
 * any of its fields has failed, which would report a second problem only on the next run; a rule here declares
 * the keys it reads and runs whenever those keys are valid, so one run names every bad key.
 */
import type { z } from "zod";

/** Reports one problem at `path` (relative to the stack's `helium:` keys). */
export type AddIssue = (path: readonly PropertyKey[], allowed: string, input: unknown) => void;

export interface ConfigRule<T> {
  /** Top-level keys the rule reads; it runs only when all of them parsed. */
  readonly keys: readonly (keyof T & string)[];
  readonly check: (cfg: T, add: AddIssue) => void;
}

/** The rules as one zod refinement, for the schema's own `superRefine` (the whole config parsed). */
export function refineWith<T>(rules: readonly ConfigRule<T>[]) {
  return (cfg: T, ctx: z.RefinementCtx): void => {
    const add: AddIssue = (path, allowed, input) =>
      ctx.addIssue({ code: "custom", path: [...path], message: allowed, input });
    for (const rule of rules) rule.check(cfg, add);
  };
}

/**
 * Runs the rules whose keys all parsed, on a config of which some keys failed. `parsed` holds the valid keys'
 * values (defaults applied), `parsedKeys` their names.
 */
export function runRulesOnParsedKeys<T>(
  rules: readonly ConfigRule<T>[],
  parsed: Partial<T>,
  parsedKeys: ReadonlySet<string>,
  add: AddIssue,
): void {
  for (const rule of rules) {
    if (rule.keys.every((key) => parsedKeys.has(key))) rule.check(parsed as T, add);
  }
}
