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
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackInput } from "../config/read";
import type { EnvironmentConfig } from "../config/environment";
import { type ParsedStack, readStackConfig } from "../config/stack";
import { crossStackProblems, resolveEnvironment } from "../model/environment";
import type { EnvironmentModel } from "../model/types/environment";
import { InputError } from "../lib/input-error";
import { resolveShared } from "../model/shared";
import { buildEnvironment } from "./environment";
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
  const attempt = readStackConfig(input);
  const { problems } = attempt;
  const source = `stack "${input.stack}"`;
  switch (attempt.role) {
    case "environment": {
      // Read the other stacks even when some keys failed, so their checks join the same error.
      const partial = attempt.partial as Partial<EnvironmentConfig>;
      const reading = await readEnvironmentReferences(partial);
      problems.addAll(reading.problems);
      let model: EnvironmentModel | undefined;
      if (attempt.parsed?.role === "environment" && reading.references !== undefined) {
        // The resolve step's own rules join the same error as the schema's.
        try {
          model = resolveEnvironment({ ...attempt.parsed, references: reading.references });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          problems.addAll(error.problems);
        }
      } else if (reading.shared !== undefined) {
        problems.addAll(crossStackProblems(input.stack, partial, reading.shared));
      }
      problems.throwIfAny(source);
      const parsed = attempt.parsed as Extract<ParsedStack, { role: "environment" }>;
      return buildEnvironment(model as EnvironmentModel, secretValues(parsed.config.appSecrets));
    }
    case "shared": {
      problems.throwIfAny(source);
      const parsed = attempt.parsed as Extract<ParsedStack, { role: "shared" }>;
      const model = resolveShared(parsed.stack, parsed.homeRegion, parsed.config);
      const { accountId } = await aws.getCallerIdentity({});
      problems.addAll(deployPolicyProblems(model, accountId));
      problems.throwIfAny(source);
      return buildShared(model, accountId);
    }
    case "kubernetes": {
      problems.throwIfAny(source);
      const parsed = attempt.parsed as Extract<ParsedStack, { role: "kubernetes" }>;
      // Loaded only here: @pulumi/kubernetes is a third of an AWS stack's module load otherwise.
      // require, not import(): under `module: node16` a CommonJS file's import() stays an ES import, which
      // Node cannot resolve to a .ts file (ts-node under `pulumi up` loads this program as CommonJS).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here only, see above
      const { localStack } = require("./local") as typeof import("./local");
      return localStack(parsed.config);
    }
    case undefined:
      problems.throwIfAny(source);
      throw new Error("unreachable: a stack without a role is a problem");
  }
}
