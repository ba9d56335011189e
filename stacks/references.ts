/**
 * Reads what an environment needs from other stacks and from AWS before anything is registered: the shared
 * stack's outputs, the promoted stack's image tag, and the account id. StackReferences and invokes resolve
 * during a preview too, so awaiting them here lets the resolve step check every cross-stack rule up front.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "../config/environment";
import { imageTagOrDigest } from "../config/primitives";
import { Problems } from "../lib/input-error";
import {
  type EnvironmentReferences,
  SHARED_OUTPUT_NAMES,
  referenceKey,
  sharedOutputProblems,
} from "../model/references";

/** The value of one output, or undefined when the stack does not export it. */
async function outputValue(reference: pulumi.StackReference, name: string): Promise<unknown> {
  const details = await reference.getOutputDetails(name);
  return details.value ?? details.secretValue;
}

/** Reads every named output of a stack. */
async function readOutputs(
  reference: pulumi.StackReference,
  names: readonly string[],
): Promise<Record<string, unknown>> {
  const values = await Promise.all(names.map((name) => outputValue(reference, name)));
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

/**
 * Everything an environment reads from outside its config. Throws one InputError naming every missing or
 * malformed output, with the stack and the config key that named it.
 */
export async function readEnvironmentReferences(
  stack: string,
  config: EnvironmentConfig,
): Promise<EnvironmentReferences> {
  const problems = new Problems();
  const shared = new pulumi.StackReference("shared", { name: config.sharedStack });
  const promoted =
    config.promoteFrom !== undefined
      ? new pulumi.StackReference("promote-from", { name: config.promoteFrom })
      : undefined;
  const [sharedOutputs, promotedTag, identity] = await Promise.all([
    readOutputs(shared, SHARED_OUTPUT_NAMES),
    promoted !== undefined ? outputValue(promoted, "imageTag") : Promise.resolve(config.imageTag),
    aws.getCallerIdentity({}),
  ]);
  const checked = sharedOutputProblems(config.sharedStack, "helium:sharedStack", sharedOutputs);
  problems.addAll(checked.problems);
  if (config.promoteFrom !== undefined && !imageTagOrDigest.safeParse(promotedTag).success) {
    problems.add(
      referenceKey(config.promoteFrom, "helium:promoteFrom", "imageTag"),
      promotedTag,
      `an image tag or digest that ${config.promoteFrom} exports once its services ran it healthy; deploy it first, or set helium:imageTag instead of helium:promoteFrom`,
    );
  }
  problems.throwIfAny(`stack "${stack}"`);
  return {
    account: identity.accountId,
    shared: checked.shared as NonNullable<typeof checked.shared>,
    imageTag: promotedTag as string,
  };
}
