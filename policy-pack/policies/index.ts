/**
 * The pack's policies, in one list that `policy-pack/index.ts` (the Pulumi runtime) and `policy-pack/engine.ts`
 * (the offline plan) both use. Importing this module starts nothing: only `new PolicyPack` serves gRPC.
 */
import type { Policies } from "@pulumi/policy";
import { ecsExecPolicies } from "./ecs-exec";
import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { privateNetworkingPolicies } from "./private-networking";
import { reliabilityPolicies } from "./reliability";

export const PACK_NAME = "helium-guard";

export const heliumPolicies: Policies = [
  ...privateNetworkingPolicies,
  ...encryptionPolicies,
  ...iamPolicies,
  ...reliabilityPolicies,
  ...ecsExecPolicies,
];
