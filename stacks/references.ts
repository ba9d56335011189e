/**
 * Reads what an environment needs from other stacks and from AWS before anything is registered: the shared
 * stack's outputs, the promoted stack's image tag, and the account id. StackReferences and invokes resolve
 * during a preview too, so awaiting them here lets the resolve step check every cross-stack rule up front.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "../config/environment";
import { imageTagOrDigest } from "../config/primitives";
import { type Problem, Problems } from "../lib/input-error";
import {
  type EnvironmentReferences,
  SHARED_OUTPUT_NAMES,
  type SharedOutputs,
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

/** What an environment read from outside its config, and every problem found doing so. */
export interface ReferenceReading {
  /** Set when every reference resolved and checked out. */
  readonly references?: EnvironmentReferences;
  /** The shared stack's outputs, when they checked out (even if the promoted tag did not). */
  readonly shared?: SharedOutputs;
  /** The account id (sts GetCallerIdentity); set whenever the shared stack was read. */
  readonly account?: string;
  readonly problems: readonly Problem[];
}

/**
 * Everything an environment reads from outside its config: the shared stack's outputs, the promoted stack's
 * image tag (or `helium:imageTag`), and the account id. Missing or malformed outputs are problems naming the
 * stack, the config key that named it and the output; nothing is thrown.
 */
export async function readEnvironmentReferences(
  config: Pick<Partial<EnvironmentConfig>, "sharedStack" | "promoteFrom" | "imageTag">,
): Promise<ReferenceReading> {
  const problems = new Problems();
  if (config.sharedStack === undefined) return { problems: [] };
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
  const imageTag = typeof promotedTag === "string" ? promotedTag : undefined;
  return {
    account: identity.accountId,
    ...(checked.shared !== undefined ? { shared: checked.shared } : {}),
    ...(problems.isEmpty && checked.shared !== undefined && imageTag !== undefined
      ? { references: { account: identity.accountId, shared: checked.shared, imageTag } }
      : {}),
    problems: problems.items,
  };
}
