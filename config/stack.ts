/**
 * A stack's config, validated as a whole for its role. Pure: used by the program (stacks/index.ts), the
 * reports, the docs generator and the tests. Every problem is collected; nothing is thrown one at a time.
 */
import type { z } from "zod";
import { InputError, Problems } from "../lib/input-error";
import { ENVIRONMENT_RULES, type EnvironmentConfig, environmentObject, environmentSchema } from "./environment";
import { LOCAL_RULES, type LocalStackConfig, localObject, localStackSchema } from "./kubernetes";
import { type StackInput, type StackRole, parseConfigObject, readHomeRegion, readNamespace, readRole } from "./read";
import type { ConfigRule } from "./rules";
import { SHARED_RULES, type SharedConfig, sharedObject, sharedSchema } from "./shared";

/** The schema of each role's `helium:*` keys (for documentation: `npm run docs:config`). */
export const ROLE_SCHEMAS = {
  shared: sharedSchema,
  environment: environmentSchema,
  kubernetes: localStackSchema,
} as const satisfies Record<StackRole, z.ZodType>;

const ROLE_OBJECTS: Record<StackRole, { object: z.ZodObject; rules: readonly ConfigRule<never>[] }> = {
  shared: { object: sharedObject, rules: SHARED_RULES },
  environment: { object: environmentObject, rules: ENVIRONMENT_RULES },
  kubernetes: { object: localObject, rules: LOCAL_RULES },
};

export type ParsedStack =
  | { readonly role: "shared"; readonly stack: string; readonly homeRegion: string; readonly config: SharedConfig }
  | {
      readonly role: "environment";
      readonly stack: string;
      readonly homeRegion: string;
      readonly config: EnvironmentConfig;
    }
  | { readonly role: "kubernetes"; readonly stack: string; readonly config: LocalStackConfig };

/** A stack's config as far as it parsed: the whole of it, or the keys that did, and every problem found. */
export interface StackConfigAttempt {
  readonly stack: string;
  readonly role?: StackRole;
  /** Set when every key and rule passed. */
  readonly parsed?: ParsedStack;
  /** The keys that parsed on their own, for checks that can still run (e.g. against other stacks). */
  readonly partial: Record<string, unknown>;
  readonly problems: Problems;
}

/** Validates a stack's config for its role; never throws for bad input (see {@link StackConfigAttempt}). */
export function readStackConfig(input: StackInput): StackConfigAttempt {
  const problems = new Problems();
  const role = readRole(input, problems);
  if (role === undefined) return { stack: input.stack, partial: {}, problems };
  const homeRegion = role === "kubernetes" ? undefined : readHomeRegion(input, problems);
  const { object, rules } = ROLE_OBJECTS[role];
  const result = parseConfigObject(
    object,
    rules as readonly ConfigRule<Record<string, unknown>>[],
    readNamespace(object, input.config),
    problems,
  );
  const base = { stack: input.stack, role, partial: result.partial, problems };
  if (result.data === undefined || !problems.isEmpty) return base;
  const stack = input.stack;
  switch (role) {
    case "shared":
      return {
        ...base,
        parsed: { role, stack, homeRegion: homeRegion as string, config: result.data as SharedConfig },
      };
    case "environment":
      return {
        ...base,
        parsed: { role, stack, homeRegion: homeRegion as string, config: result.data as EnvironmentConfig },
      };
    case "kubernetes":
      return { ...base, parsed: { role, stack, config: result.data as LocalStackConfig } };
  }
}

/** Validates a stack's config for its role. Throws one InputError naming every bad key. */
export function parseStackConfig(input: StackInput): ParsedStack {
  const attempt = readStackConfig(input);
  attempt.problems.throwIfAny(`stack "${input.stack}"`);
  if (attempt.parsed === undefined) throw new InputError(`stack "${input.stack}"`, []);
  return attempt.parsed;
}
