/**
 * Physical names that always fit, after aws-cdk-lib's `makeUniqueResourceName`
 * (core/lib/private/unique-resource-name.ts): keep the readable name when AWS accepts it; otherwise keep a
 * readable part, cut from the middle, and append a short stable hash of the full, untruncated identity, so
 * that two inputs that shorten to the same text still get different names.
 *
 * A valid name is returned unchanged: existing stacks keep their physical names, and a rename would replace
 * the resource.
 */
import { hash } from "crypto";
import { AWS_NAME_RULES, type AwsNameKind } from "./aws-name-catalog";
import { awsNameAllowed } from "./aws-name-rules";

/**
 * Hex characters of the hash suffix. 8 (32 bits) as in CDK: a chance of about 1 in 4 billion that two
 * particular identities share a suffix. Not 6: Secrets Manager warns against names ending in `-` and six
 * characters, which look like the random suffix of its ARNs.
 */
export const NAME_HASH_LENGTH = 8;

/** The first `length` hex digits of the SHA-256 of `text`: stable across runs, platforms and Node versions. */
export function stableHash(text: string, length: number = NAME_HASH_LENGTH): string {
  // One-shot `hash` (Node ≥ 20.12): the same digest as createHash().update().digest(), about 2.5× faster.
  return hash("sha256", text, "hex").slice(0, length);
}

/** How {@link fitAwsName} shortens and disambiguates. */
export interface FitOptions {
  /**
   * What the hash is computed from. Defaults to `name`. Pass the structured inputs (e.g. the readable name
   * plus environment and service) when two different inputs can spell the same readable name.
   */
  readonly identity?: string;
  /** Append the hash even when `name` is valid as it stands (its spelling is ambiguous). Defaults to false. */
  readonly alwaysHash?: boolean;
}

/**
 * A `kind` name for `name` that AWS accepts:
 * - `name` itself when it is valid and `alwaysHash` is false;
 * - otherwise `name` repaired (lower-cased where the kind requires it, disallowed characters and runs of
 *   separators turned into one `-`), cut from the middle to leave room, and ended with `-<8 hex digits>`
 *   of the hash of `identity`.
 *
 * Same inputs always give the same output. Throws only when `name` has nothing usable left (e.g. an empty
 * string for a kind that must start with a letter): a programming error, never a config one, because every
 * name the program builds starts with `helium`.
 */
export function fitAwsName(kind: AwsNameKind, name: string, options: FitOptions = {}): string {
  if (!options.alwaysHash && awsNameAllowed(kind, name) === undefined) return name;
  const rule = AWS_NAME_RULES[kind];
  const suffix = `-${stableHash(options.identity ?? name)}`;
  const prefix = rule.fixedPrefix;
  const end = rule.fixedSuffix ?? "";
  let body = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  if (end !== "" && body.endsWith(end)) body = body.slice(0, body.length - end.length);
  if (rule.lowerCase) body = body.toLowerCase();
  body = collapseHyphens(body.replace(unsafeCharacters(kind), "-"));
  const budget = rule.maxLength - prefix.length - suffix.length - end.length;
  if (body.length > budget) body = collapseHyphens(cutMiddle(body, budget));
  // A trailing separator would touch the suffix's hyphen ("--" is invalid for several kinds).
  body = body.replace(/[^A-Za-z0-9]+$/, "");
  const fitted = `${prefix}${body}${suffix}${end}`;
  const allowed = awsNameAllowed(kind, fitted);
  if (allowed !== undefined) {
    throw new Error(`cannot fit ${JSON.stringify(name)} as a ${kind} name: got ${JSON.stringify(fitted)}; ${allowed}`);
  }
  return fitted;
}

const UNSAFE_CHARACTERS = new Map<AwsNameKind, RegExp>();

/** Characters outside `kind`'s safe set (global; `replace` resets its lastIndex). */
function unsafeCharacters(kind: AwsNameKind): RegExp {
  let pattern = UNSAFE_CHARACTERS.get(kind);
  if (pattern === undefined) {
    pattern = new RegExp(`[^${AWS_NAME_RULES[kind].safeCharacters}]`, "g");
    UNSAFE_CHARACTERS.set(kind, pattern);
  }
  return pattern;
}

/** The first and last parts of `text` joined by `-`, `length` characters in all (CDK's splitInMiddle). */
function cutMiddle(text: string, length: number): string {
  if (length < 3) return text.slice(0, length);
  const kept = length - 1;
  const head = Math.ceil(kept / 2);
  return `${text.slice(0, head)}-${text.slice(text.length - (kept - head))}`;
}

function collapseHyphens(text: string): string {
  return text.replace(/-{2,}/g, "-");
}
