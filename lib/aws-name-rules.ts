/**
 * Checks of physical names against what AWS accepts (the rules, with their sources, are in
 * lib/aws-name-catalog.ts): a message naming the rule, a Problem at a config key, or a thrown Error.
 */
import { AWS_NAME_RULES, type AwsNameKind } from "./aws-name-catalog";
import type { Problem } from "./input-error";

/** What is allowed for `kind` when `value` breaks its rule, or undefined when AWS accepts `value`. */
export function awsNameAllowed(kind: AwsNameKind, value: string): string | undefined {
  const rule = AWS_NAME_RULES[kind];
  const fits = value.length >= rule.minLength && value.length <= rule.maxLength && rule.pattern.test(value);
  return fits ? undefined : `${rule.allowed} (${kind}; ${rule.source})`;
}

/** A {@link Problem} at `key` when AWS would reject `value` as a `kind` name, else undefined. */
export function awsNameProblem(kind: AwsNameKind, value: string, key: string): Problem | undefined {
  const allowed = awsNameAllowed(kind, value);
  return allowed === undefined ? undefined : { key, value, allowed };
}

/** Why AWS would reject `value` as a `kind` name (one sentence with the value and its length), or undefined. */
export function awsNameError(kind: AwsNameKind, value: string): string | undefined {
  const rule = AWS_NAME_RULES[kind];
  return awsNameAllowed(kind, value) === undefined
    ? undefined
    : `"${value}" (${value.length} characters) is not a valid ${kind} name: allowed is ${rule.allowed}`;
}

/**
 * Returns `value` when AWS accepts it as a `kind` name; otherwise throws an Error that starts with `source`
 * (a config key or component input). Kept for components that check names they were handed; names the
 * program builds should come from lib/naming.ts, which never produces a rejected name.
 */
export function assertAwsName(kind: AwsNameKind, value: string, source: string): string {
  const error = awsNameError(kind, value);
  if (error) throw new Error(`${source}: ${error}`);
  return value;
}
