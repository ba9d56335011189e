/**
 * Reads a stack's Pulumi config, validates it against the stack's schema and returns it typed.
 * Any problem throws a {@link ConfigError} that names every bad key, before a resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { KNOWN_REGION_CODES } from "../lib/regions";
import { type LocalStackConfig } from "./kubernetes";
import {
  ConfigError,
  type ConfigIssue,
  KNOWN_STACKS,
  type ResolvedAwsEnvironment,
  STACK_SCHEMAS,
  type SharedStackConfig,
  type StackName,
  resolveAwsEnvironment,
} from "./stacks";

const NAMESPACE = "helium";

export function isKnownStack(stack: string): stack is StackName {
  return (KNOWN_STACKS as readonly string[]).includes(stack);
}

export function assertKnownStack(stack: string): StackName {
  if (!isKnownStack(stack)) {
    throw new ConfigError(stack, [
      { key: "stack name", value: stack, message: `unknown stack; known stacks: ${KNOWN_STACKS.join(", ")}` },
    ]);
  }
  return stack;
}

function formatPath(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  return (
    `${NAMESPACE}:${String(head)}` + rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")
  );
}

/** Navigates to the value a zod issue is about, so the error can show it even when zod does not. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function issuesFromZod(error: z.ZodError, raw: Record<string, unknown>): ConfigIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const path = [...issue.path, issue.keys[0]];
      return { key: formatPath(path), value: valueAt(raw, path), message: issue.message };
    }
    const value = "input" in issue && issue.input !== undefined ? issue.input : valueAt(raw, issue.path);
    const message =
      issue.code === "invalid_type" && value === undefined
        ? `required key is missing (expected ${issue.expected})`
        : issue.message;
    return { key: formatPath(issue.path), value, message };
  });
}

/**
 * Pulumi hands structured config over as JSON text and scalars as plain text. A value is taken as text
 * when the key's schema accepts it as text (so the image tag `123` stays a string); otherwise as JSON.
 */
function decodeValue(fieldSchema: z.ZodType | undefined, text: string): unknown {
  if (fieldSchema?.safeParse(text).success) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The stack's `helium:*` keys, decoded; `allConfig` is the runtime's flat `namespace:key → text` map. */
export function readNamespace(schema: z.ZodObject, allConfig: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(`${NAMESPACE}:`)) continue;
    const key = fullKey.slice(NAMESPACE.length + 1);
    raw[key] = decodeValue(schema.shape[key] as z.ZodType | undefined, text);
  }
  return raw;
}

function parseStack<S extends z.ZodType>(stack: string, schema: S, raw: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(stack, issuesFromZod(result.error, raw));
  return result.data;
}

function homeRegion(stack: string, allConfig: Record<string, string>): string {
  const region = allConfig["aws:region"];
  if (region === undefined || !KNOWN_REGION_CODES.includes(region)) {
    throw new ConfigError(stack, [
      {
        key: "aws:region",
        value: region,
        message: `the home region is required and must be one of ${KNOWN_REGION_CODES.join(", ")}`,
      },
    ]);
  }
  return region;
}

export type StackConfig =
  | { readonly stack: "shared"; readonly homeRegion: string; readonly config: SharedStackConfig }
  | { readonly stack: "staging" | "production"; readonly config: ResolvedAwsEnvironment }
  | { readonly stack: "local"; readonly config: LocalStackConfig };

/** Validates `allConfig` (the runtime's config map) for `stack`. Pure, for tests and the docs generator. */
export function parseStackConfig(stack: string, allConfig: Record<string, string>): StackConfig {
  const name = assertKnownStack(stack);
  switch (name) {
    case "shared": {
      const region = homeRegion(name, allConfig);
      return {
        stack: name,
        homeRegion: region,
        config: parseStack(name, STACK_SCHEMAS.shared, readNamespace(STACK_SCHEMAS.shared, allConfig)),
      };
    }
    case "staging":
    case "production": {
      const region = homeRegion(name, allConfig);
      const parsed = parseStack(name, STACK_SCHEMAS[name], readNamespace(STACK_SCHEMAS[name], allConfig));
      return { stack: name, config: resolveAwsEnvironment(name, region, parsed) };
    }
    case "local":
      return {
        stack: name,
        config: parseStack(name, STACK_SCHEMAS.local, readNamespace(STACK_SCHEMAS.local, allConfig)),
      };
  }
}

/** The current stack's validated config, from the Pulumi runtime. */
export function loadStackConfig(stack: string = pulumi.getStack()): StackConfig {
  return parseStackConfig(stack, pulumi.runtime.allConfig());
}
