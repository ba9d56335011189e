/**
 * Reading a stack's Pulumi config: the engine's flat `namespace:key → text` map becomes the `helium:*`
 * object a schema validates, and zod's issues become {@link Problem}s that name the key as written in
 * `Pulumi.<stack>.yaml`, the value found and what is allowed. Nothing here registers a resource.
 */
import { z } from "zod";
import { type Problem, Problems, keyPath } from "../lib/input-error";
import { KNOWN_REGION_CODES } from "../lib/regions";
import { type ConfigRule, refineWith, runRulesOnParsedKeys } from "./rules";

export const NAMESPACE = "helium";

/** What a stack program is, from `helium:role`; a stack's role never comes from its name. */
export const STACK_ROLES = ["shared", "environment", "kubernetes"] as const;
export type StackRole = (typeof STACK_ROLES)[number];

/** The engine's view of one stack's config. */
export interface StackInput {
  /** `pulumi.getStack()`, e.g. `staging`. */
  readonly stack: string;
  /** `namespace:key` → text (structured values as JSON), as `pulumi.runtime.allConfig()` returns it. */
  readonly config: Readonly<Record<string, string>>;
}

/** `helium:services.backend.port`: the config key of a zod issue path. */
export function configKey(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  if (head === undefined) return `${NAMESPACE}:(root)`;
  return keyPath(`${NAMESPACE}:${String(head)}`, ...rest.map((p) => (typeof p === "number" ? p : String(p))));
}

/** The value at `path`, so a problem can show it even when zod does not report it. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** zod issues as problems; `toKey` turns an issue path into the key the user wrote. */
export function problemsFromZod(
  error: z.ZodError,
  raw: unknown,
  toKey: (path: readonly PropertyKey[]) => string = configKey,
): Problem[] {
  return error.issues.flatMap((issue): Problem | Problem[] => {
    if (issue.code === "unrecognized_keys") {
      // One problem per stray key, each with its own value.
      return issue.keys.map((strayKey): Problem => {
        const path = [...issue.path, strayKey];
        return { key: toKey(path), value: valueAt(raw, path), allowed: issue.message };
      });
    }
    const value = "input" in issue && issue.input !== undefined ? issue.input : valueAt(raw, issue.path);
    const allowed =
      issue.code === "invalid_type" && value === undefined ? `a value (required; ${issue.expected})` : issue.message;
    return { key: toKey(issue.path), value, allowed };
  });
}

/**
 * Pulumi hands structured config over as JSON text and scalars as plain text. A value is taken as text when
 * the key's schema accepts it as text (so the image tag `123` stays a string); otherwise as JSON.
 */
function decodeValue(fieldSchema: z.ZodType | undefined, text: string): unknown {
  if (fieldSchema?.safeParse(text).success) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The stack's `helium:*` keys, decoded against `schema`'s fields. */
export function readNamespace(schema: z.ZodObject, config: Readonly<Record<string, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(config)) {
    if (!fullKey.startsWith(`${NAMESPACE}:`)) continue;
    const key = fullKey.slice(NAMESPACE.length + 1);
    raw[key] = decodeValue(schema.shape[key] as z.ZodType | undefined, text);
  }
  return raw;
}

/** Validates `raw` against `schema`; every bad key is added to `problems`. Returns the data when valid. */
export function parseInto<S extends z.ZodType>(schema: S, raw: unknown, problems: Problems): z.infer<S> | undefined {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  problems.addAll(problemsFromZod(result.error, raw));
  return undefined;
}

/** A stack's config, parsed: all of it when valid, else the keys that did parse. */
export interface ParsedConfig<T> {
  /** The whole config, when every key and every cross-field rule passed. */
  readonly data?: T;
  /** The keys that parsed on their own (defaults applied), for the checks that can still run. */
  readonly partial: Partial<T>;
  readonly parsedKeys: ReadonlySet<string>;
}

/**
 * Validates a stack's `helium:*` keys with `object` and its cross-field `rules`; every problem is added to
 * `problems`. When some keys fail, each other key is still parsed on its own and the rules whose keys all
 * parsed still run, so one run reports every bad key (zod alone stops refining an object at its first
 * failing field).
 */
export function parseConfigObject<T extends Record<string, unknown>>(
  object: z.ZodObject,
  rules: readonly ConfigRule<T>[],
  raw: Record<string, unknown>,
  problems: Problems,
): ParsedConfig<T> {
  const refine = refineWith(rules);
  const whole = object.superRefine((cfg, ctx) => refine(cfg as T, ctx)).safeParse(raw, { reportInput: true });
  if (whole.success) {
    const data = whole.data as T;
    return { data, partial: data, parsedKeys: new Set(Object.keys(object.shape)) };
  }
  problems.addAll(problemsFromZod(whole.error, raw));
  const partial: Record<string, unknown> = {};
  const parsedKeys = new Set<string>();
  for (const [key, field] of Object.entries(object.shape)) {
    const one = (field as z.ZodType).safeParse(raw[key]);
    if (!one.success) continue;
    partial[key] = one.data;
    parsedKeys.add(key);
  }
  runRulesOnParsedKeys(rules, partial as Partial<T>, parsedKeys, (path, allowed, input) =>
    problems.add(configKey(path), input, allowed),
  );
  return { partial: partial as Partial<T>, parsedKeys };
}

/** `helium:role`, validated; adds a problem and returns undefined when it is missing or unknown. */
export function readRole(input: StackInput, problems: Problems): StackRole | undefined {
  const text = input.config[`${NAMESPACE}:role`];
  if ((STACK_ROLES as readonly string[]).includes(text ?? "")) return text as StackRole;
  problems.add(
    `${NAMESPACE}:role`,
    text,
    `one of ${STACK_ROLES.join(", ")}: what the stack is (its name does not decide); e.g. \`pulumi config set helium:role environment\``,
  );
  return undefined;
}

/** `aws:region`: the home region every provider defaults to. */
export function readHomeRegion(input: StackInput, problems: Problems): string | undefined {
  const region = input.config["aws:region"];
  if (region !== undefined && KNOWN_REGION_CODES.includes(region)) return region;
  problems.add("aws:region", region, `the home region, one of ${KNOWN_REGION_CODES.join(", ")}`);
  return undefined;
}
