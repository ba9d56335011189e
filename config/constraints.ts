/**
 * zod glue for the AWS API constraints in lib/aws-constraints: a value that breaks one fails with the
 * validator's "allowed" text, at the key where the user wrote it.
 */
import type { z } from "zod";
import type { Problem } from "../lib/input-error";

/** A refinement from a one-value validator (`string | undefined`: what is allowed, when the value breaks it). */
export function allowedBy<T>(check: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const allowed = check(value);
    if (allowed !== undefined) ctx.addIssue({ code: "custom", message: allowed, input: value });
  };
}

/** Adds a multi-field validator's problems under `path` (its keys are field names, possibly dotted). */
export function addProblems(
  ctx: z.RefinementCtx,
  problems: readonly Problem[],
  path: readonly PropertyKey[] = [],
): void {
  for (const p of problems) {
    ctx.addIssue({ code: "custom", path: [...path, ...p.key.split(".")], message: p.allowed, input: p.value });
  }
}
