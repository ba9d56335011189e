/**
 * What an environment reads from other stacks, as plain data. The stack program awaits these values
 * (StackReference outputs resolve during a preview too) before the resolve step, so every cross-stack
 * rule — a region without an image replica, a repository the shared stack lacks — is checked before the
 * first resource is registered.
 */
import { z } from "zod";
import type { Problem } from "../lib/input-error";
import type { ImageSelection } from "./types/image";

/** Outputs of the shared stack that an environment uses (stacks/shared.ts exports them). */
export const sharedOutputsSchema = z.object({
  domain: z.string().min(1),
  hostedZoneId: z.string().min(1),
  imageRegions: z.array(z.string()).min(1),
  registryId: z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id" }),
  repositories: z.record(z.string(), z.object({ arns: z.record(z.string(), z.string()) })),
  environments: z.record(z.string(), z.object({ addressLane: z.number().int() })),
});
export type SharedOutputs = z.infer<typeof sharedOutputsSchema>;

/** Names of the shared stack's outputs, for reading them one by one. */
export const SHARED_OUTPUT_NAMES = Object.keys(sharedOutputsSchema.shape) as (keyof SharedOutputs)[];

/** Everything an environment's resolve step needs from outside its own config. */
export interface EnvironmentReferences {
  /** The AWS account the stack deploys into (sts GetCallerIdentity). */
  readonly account: string;
  readonly shared: SharedOutputs;
  /** The image tag or digest to run: `helium:imageOverride.tag`, the promoted stack's `imageTag` output, or `helium:imageTag`. */
  readonly imageTag: string;
  /** Where `imageTag` came from (model/image.ts). Defaults to `{ source: "config", tag: imageTag }`. */
  readonly imageSelection?: ImageSelection;
}

/** Describes one StackReference output for problem keys: `StackReference acme/helium/shared (helium:sharedStack).domain`. */
export function referenceKey(stackName: string, configKey: string, output: string): string {
  return `StackReference ${stackName} (${configKey}).${output}`;
}

/** Validates the shared stack's outputs; problems name the output and say how to fix the reference. */
export function sharedOutputProblems(
  stackName: string,
  configKey: string,
  outputs: Readonly<Record<string, unknown>>,
): { shared?: SharedOutputs; problems: Problem[] } {
  const result = sharedOutputsSchema.safeParse(outputs);
  if (result.success) return { shared: result.data, problems: [] };
  const problems = result.error.issues.map((issue): Problem => ({
    key: referenceKey(stackName, configKey, issue.path.map(String).join(".")),
    value: issue.path.reduce<unknown>(
      (v, p) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined),
      outputs,
    ),
    allowed: `${issue.message}; deploy ${stackName} with this program first (pulumi up -s ${stackName}), or point ${configKey} at the right stack`,
  }));
  return { problems };
}
