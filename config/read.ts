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

/** What zod calls a type, as a config writer names it. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "an object (a YAML mapping)",
  record: "an object (a YAML mapping)",
  array: "a list (a YAML sequence)",
  boolean: "true or false",
  string: "text",
  number: "a number",
  int: "a whole number",
};

/**
 * The unit of a numeric key at `path`, from the project's naming convention (`…Seconds`, `…Days`, `…Percent`,
 * `…Gb`), the Fargate size keys and the task counts; undefined when the name says none.
 */
export function unitOfKey(path: readonly PropertyKey[]): string | undefined {
  const names = path.filter((p): p is string => typeof p === "string");
  const key = names[names.length - 1];
  if (key === undefined) return undefined;
  if (/Seconds$/.test(key)) return "seconds";
  if (/Days$/.test(key)) return "days";
  if (/Percent$/.test(key)) return "percent";
  if (/Gb$/.test(key)) return "GiB";
  if (key === "cpu") return "CPU units (1024 = 1 vCPU)";
  if (key === "memory") return "MiB";
  if (key === "port" || key === "ports") return "a port, 1-65535";
  if (key === "azCount") return "availability zones";
  if (key === "desiredCount" || (names[names.length - 2] === "scaling" && (key === "min" || key === "max")))
    return "tasks";
  return undefined;
}

const withUnit = (text: string, unit: string | undefined) => (unit === undefined ? text : `${text} (${unit})`);

/** The text given as an object or list that is not valid JSON: the parser's reason, or undefined when it parses. */
function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    // Node appends `, "<the text>" is not valid JSON`: the value is printed beside it already.
    return (error as Error).message.replace(/, ".*" is not valid JSON$/s, "");
  }
}

/**
 * zod's own English for an issue (`Too big: expected array to have <=5 items`, `Invalid input: expected number,
 * received string`, `Invalid key in record`) in the words of this program: what is allowed, with the key's unit.
 * A message a schema set itself is kept. `value` is the value found, `path` the issue's path.
 */
function allowedText(issue: z.core.$ZodIssue, value: unknown): string {
  const unit = unitOfKey(issue.path);
  switch (issue.code) {
    case "invalid_key":
      // The key's own schema says what a key may be (e.g. a service name); zod's text says only "Invalid key".
      return issue.issues.map((nested) => nested.message).join("; ") || issue.message;
    case "invalid_type": {
      if (!issue.message.startsWith("Invalid input:")) return issue.message;
      const expected = withUnit(TYPE_WORDS[issue.expected] ?? issue.expected, unit);
      if (value === undefined) return `a value (required; ${expected})`;
      const structured = issue.expected === "object" || issue.expected === "record" || issue.expected === "array";
      if (structured && typeof value === "string" && issue.path.length === 1) {
        // Pulumi hands a structured value over as JSON text; text that does not parse stays text.
        const reason = jsonError(value);
        if (reason !== undefined)
          return `${expected}: the value is not valid JSON (${reason}); write it as YAML in Pulumi.<stack>.yaml, or as JSON text with pulumi config set`;
      }
      if (issue.expected === "int" && typeof value === "number") return expected;
      if (
        (issue.expected === "number" || issue.expected === "int") &&
        typeof value === "string" &&
        value.trim() !== "" &&
        Number.isFinite(Number(value))
      )
        return `${expected}, not text: write ${value.trim()} without quotes`;
      return `${expected}, not ${describeType(value)}`;
    }
    case "too_big":
    case "too_small": {
      if (!/^Too (big|small):/.test(issue.message)) return issue.message;
      const bound = issue.code === "too_big" ? issue.maximum : issue.minimum;
      const word =
        issue.code === "too_big"
          ? issue.inclusive
            ? "at most"
            : "less than"
          : issue.inclusive
            ? "at least"
            : "more than";
      if (issue.origin === "array" || issue.origin === "set") return `${word} ${String(bound)} entries`;
      if (issue.origin === "string") return `${word} ${String(bound)} characters`;
      return withUnit(`${word} ${String(bound)}`, unit);
    }
    case "invalid_value":
      if (!issue.message.startsWith("Invalid option:") && !issue.message.startsWith("Invalid input:"))
        return issue.message;
      return issue.values.length === 1
        ? `${JSON.stringify(issue.values[0])} (the only value allowed)`
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** `text "yes"`, `a number`, `a list`: what a value is, for "allowed: X, not Y". */
function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
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
    return { key: toKey(issue.path), value, allowed: allowedText(issue, value) };
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
    if (one.success) {
      partial[key] = one.data;
      parsedKeys.add(key);
      continue;
    }
    // A record (helium:services, helium:appSecrets) with a bad entry: the rules still run on the entries that
    // parsed, so a bad service name does not hide a duplicate route between two other services.
    const entries = validRecordEntries(field as z.ZodType, raw[key], whole.error.issues, key);
    if (entries === undefined) continue;
    const rest = (field as z.ZodType).safeParse(entries, { reportInput: true });
    if (!rest.success) {
      // Problems between the remaining entries (the record's own refinement, which zod skipped before).
      problems.addAll(problemsFromZod(rest.error, entries, (path) => configKey([key, ...path])));
      continue;
    }
    partial[key] = rest.data;
    parsedKeys.add(key);
  }
  runRulesOnParsedKeys(rules, partial as Partial<T>, parsedKeys, (path, allowed, input) =>
    problems.add(configKey(path), input, allowed),
  );
  return { partial: partial as Partial<T>, parsedKeys };
}

/** Whether `schema`, under defaults, optionality and preprocessing, is a record. */
function isRecordSchema(schema: z.core.$ZodType): boolean {
  const def = schema._zod.def;
  switch (def.type) {
    case "record":
      return true;
    case "pipe":
      return isRecordSchema((def as z.core.$ZodPipeDef).out);
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
      return isRecordSchema((def as z.core.$ZodDefaultDef).innerType);
    default:
      return false;
  }
}

/**
 * The entries of the record `value` at top-level `key` that no issue points into (a bad key or a bad value), or
 * undefined when `field` is not a record, `value` is not an object, or no entry is left out.
 */
function validRecordEntries(
  field: z.ZodType,
  value: unknown,
  issues: readonly z.core.$ZodIssue[],
  key: string,
): Record<string, unknown> | undefined {
  if (!isRecordSchema(field) || value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const bad = new Set(issues.filter((i) => i.path[0] === key && i.path.length > 1).map((i) => String(i.path[1])));
  if (bad.size === 0) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([entry]) => !bad.has(entry)));
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
