import type * as pulumi from "@pulumi/pulumi";

/** A stack program's exports: every value a consumer (StackReference, operator) may read. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;
