/**
 * Reads what an environment needs from other stacks and from AWS before anything is registered: the shared
 * stack's outputs, the promoted stack's image tag, and the account id. StackReferences and invokes resolve
 * during a preview too, so awaiting them here lets the resolve step check every cross-stack rule up front.
 * The image is chosen here (model/image.ts); a rollback pin (helium:imageOverride) is printed as a warning with
 * every preview and up.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentConfig } from "../config/environment";
import { type Problem, Problems } from "../lib/input-error";
import { imageOverrideNotice, selectImage } from "../model/image";
import {
  type EnvironmentReferences,
  SHARED_OUTPUT_NAMES,
  type SharedOutputs,
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
 * image tag (or `helium:imageTag`, or the `helium:imageOverride` pin), and the account id. Missing or malformed
 * outputs are problems naming the stack, the config key that named it and the output; nothing is thrown.
 */
export async function readEnvironmentReferences(
  config: Pick<Partial<EnvironmentConfig>, "sharedStack" | "promoteFrom" | "imageTag" | "imageOverride">,
): Promise<ReferenceReading> {
  const problems = new Problems();
  if (config.sharedStack === undefined) return { problems: [] };
  const shared = new pulumi.StackReference("shared", { name: config.sharedStack });
  const promoted =
    config.promoteFrom !== undefined
      ? new pulumi.StackReference("promote-from", { name: config.promoteFrom })
      : undefined;
  // With an override the promoted stack is still read (the outputs say what promotion would deploy), but what it
  // exports cannot fail the run: a rollback must not depend on staging being healthy.
  const [sharedOutputs, promotedTag, identity] = await Promise.all([
    readOutputs(shared, SHARED_OUTPUT_NAMES),
    promoted !== undefined ? outputValue(promoted, "imageTag") : Promise.resolve(undefined),
    aws.getCallerIdentity({}),
  ]);
  const checked = sharedOutputProblems(config.sharedStack, "helium:sharedStack", sharedOutputs);
  problems.addAll(checked.problems);
  const image = selectImage(config, promotedTag);
  problems.addAll(image.problems);
  const selection = image.selection;
  const notice = selection !== undefined ? imageOverrideNotice(pulumi.getStack(), selection) : undefined;
  if (notice !== undefined) void pulumi.log.warn(notice);
  return {
    account: identity.accountId,
    ...(checked.shared !== undefined ? { shared: checked.shared } : {}),
    ...(problems.isEmpty && checked.shared !== undefined && selection !== undefined
      ? {
          references: {
            account: identity.accountId,
            shared: checked.shared,
            imageTag: selection.tag,
            imageSelection: selection,
          },
        }
      : {}),
    problems: problems.items,
  };
}
