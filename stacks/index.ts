/**
 * Chooses the stack program by name. Config is loaded and validated first, so a bad config fails before
 * any resource is registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../config/load";
import { environmentStack } from "./environment";
import { localStack } from "./local";
import { sharedStack } from "./shared";

/** A stack program's exports: every value a consumer (StackReference, operator) may read. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

export function runStack(stack: string): StackOutputs {
  const loaded = loadStackConfig(stack);
  switch (loaded.stack) {
    case "shared":
      return sharedStack(loaded.homeRegion, loaded.config);
    case "staging":
    case "production":
      return environmentStack(loaded.config);
    case "local":
      return localStack(loaded.config);
  }
}
