/**
 * The program: config → resolved model → components → outputs.
 *
 * 1. Read the stack's config and its role (`helium:role`), and validate it against the role's schema.
 * 2. For an environment, await what other stacks export (StackReferences resolve during a preview too).
 * 3. Resolve: a pure function turns config (and references) into a model of everything the stack creates,
 *    checking every rule; all problems are thrown together as one InputError.
 * 4. Build the components from the model.
 *
 * Nothing is registered before step 4 except the StackReference reads of step 2, so bad input never leaves a
 * half-built stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackInput } from "../config/read";
import { parseStackConfig } from "../config/stack";
import { Problems } from "../lib/input-error";
import { resolveEnvironment } from "../model/environment";
import { resolveShared } from "../model/shared";
import { buildEnvironment } from "./environment";
import { localStack } from "./local";
import type { StackOutputs } from "./outputs";
import { readEnvironmentReferences } from "./references";
import { buildShared, deployPolicyProblems } from "./shared";

/** Config secrets arrive as plain strings from the validated config; only their values are secret. */
function secretValues(values: Readonly<Record<string, string>>): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, pulumi.secret(value)]));
}

/** Runs the stack whose name and config are given (the Pulumi runtime's by default). */
export async function main(
  input: StackInput = { stack: pulumi.getStack(), config: pulumi.runtime.allConfig() },
): Promise<StackOutputs> {
  const parsed = parseStackConfig(input);
  switch (parsed.role) {
    case "environment": {
      const references = await readEnvironmentReferences(parsed.stack, parsed.config);
      const model = resolveEnvironment({ ...parsed, references });
      return buildEnvironment(model, secretValues(parsed.config.appSecrets));
    }
    case "shared": {
      const model = resolveShared(parsed.stack, parsed.homeRegion, parsed.config);
      const { accountId } = await aws.getCallerIdentity({});
      const problems = new Problems();
      problems.addAll(deployPolicyProblems(model, accountId));
      problems.throwIfAny(`stack "${parsed.stack}"`);
      return buildShared(model, accountId);
    }
    case "kubernetes":
      return localStack(parsed.config);
  }
}
