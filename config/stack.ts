/**
 * A stack's config, validated as a whole for its role. Pure: used by the program (stacks/index.ts), the
 * reports, the docs generator and the tests. Every problem is thrown together as one InputError.
 */
import type { EnvironmentConfig } from "./environment";
import { environmentSchema } from "./environment";
import { type LocalStackConfig, localStackSchema } from "./kubernetes";
import { type StackInput, type StackRole, parseInto, readHomeRegion, readNamespace, readRole } from "./read";
import { type SharedConfig, sharedSchema } from "./shared";
import { Problems } from "../lib/input-error";

/** The schema of each role's `helium:*` keys. */
export const ROLE_SCHEMAS = {
  shared: sharedSchema,
  environment: environmentSchema,
  kubernetes: localStackSchema,
} as const satisfies Record<StackRole, unknown>;

export type ParsedStack =
  | { readonly role: "shared"; readonly stack: string; readonly homeRegion: string; readonly config: SharedConfig }
  | {
      readonly role: "environment";
      readonly stack: string;
      readonly homeRegion: string;
      readonly config: EnvironmentConfig;
    }
  | { readonly role: "kubernetes"; readonly stack: string; readonly config: LocalStackConfig };

/** Validates a stack's config for its role. Throws one InputError naming every bad key. */
export function parseStackConfig(input: StackInput): ParsedStack {
  const problems = new Problems();
  const source = `stack "${input.stack}"`;
  const role = readRole(input, problems);
  if (role === undefined) {
    problems.throwIfAny(source);
    throw new Error("unreachable: a missing role is a problem");
  }
  const homeRegion = role === "kubernetes" ? undefined : readHomeRegion(input, problems);
  const schema = ROLE_SCHEMAS[role];
  const config: unknown = parseInto(schema, readNamespace(schema, input.config), problems);
  problems.throwIfAny(source);
  switch (role) {
    case "shared":
      return { role, stack: input.stack, homeRegion: homeRegion as string, config: config as SharedConfig };
    case "environment":
      return { role, stack: input.stack, homeRegion: homeRegion as string, config: config as EnvironmentConfig };
    case "kubernetes":
      return { role, stack: input.stack, config: config as LocalStackConfig };
  }
}
