/**
 * Config of the shared stack (`helium:role: shared`): what every environment reads through a StackReference.
 * Every key lives under `helium:` in `Pulumi.<stack>.yaml`; the home region is `aws:region`.
 */
import { z } from "zod";
import { ecrRepositoryNameProblem } from "../lib/aws-constraints";
import { ADDRESS_LANES } from "../lib/cidr";
import { allowedBy } from "./constraints";
import { type ConfigRule, refineWith } from "./rules";
import { domainName, environmentName, regionCode, strictObject } from "./primitives";

/** One environment as the shared stack knows it: who may deploy it, and its address lane. */
const registeredEnvironment = strictObject({
  branch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, { error: "must be a git branch name (letters, digits and ._/-)" })
    .describe("Only GitHub Actions runs on this branch may assume the environment's deploy role."),
  pushImages: z
    .boolean()
    .default(false)
    .describe(
      "The deploy role may push to the ECR repositories in the home region (the pipeline that builds images). Defaults to false.",
    ),
  addressLane: z
    .number()
    .int()
    .min(0, { error: `must be an address lane 0-${ADDRESS_LANES - 1}` })
    .max(ADDRESS_LANES - 1, { error: `must be an address lane 0-${ADDRESS_LANES - 1}` })
    .describe(
      `Address lane (0-${ADDRESS_LANES - 1}) of the environment's default VPC CIDRs; lanes are unique, so environments never overlap (lib/cidr.ts defaultVpcCidr).`,
    ),
});

/** Config of the shared stack (`helium:role: shared`): DNS zone, ECR, GitHub OIDC deploy roles, the environment registry. */
export const sharedObject = strictObject({
  role: z.literal("shared").describe("What this stack is: `shared` (zone, registry, deploy roles). Required."),
  domain: domainName.default("he2.site").describe("Apex domain served by Helium. Defaults to he2.site."),
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,31}$/, { error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .optional()
    .describe("Adopt this existing hosted zone instead of creating one. Defaults to creating a zone."),
  repositories: z
    .array(z.string().superRefine(allowedBy(ecrRepositoryNameProblem)))
    .min(1)
    .default(["helium-backend", "helium-frontend"])
    .describe("ECR repositories. Defaults to helium-backend and helium-frontend."),
  keepLastImages: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(30)
    .describe("Images kept per repository by the lifecycle policy. Defaults to 30."),
  replicationRegions: z
    .array(regionCode)
    .default([])
    .describe(
      "Regions that receive a replica of every image pushed to the home region (aws:region). List every region a stack runs in. Defaults to none.",
    ),
  github: strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be owner/name, e.g. acme/helium" })
      .describe("GitHub repository allowed to assume the deploy roles. Required."),
  }).describe("GitHub Actions OIDC trust."),
  environments: z
    .record(environmentName, registeredEnvironment)
    .default({
      staging: { branch: "beta", pushImages: true, addressLane: 10 },
      production: { branch: "migrated-demo2", pushImages: false, addressLane: 0 },
    })
    .describe(
      "Every application environment: its deploy branch, whether its pipeline pushes images, and its address lane. Defaults to staging (beta, pushes images, lane 10) and production (migrated-demo2, lane 0).",
    ),
});
/** The shared stack's keys, each validated on its own (before the cross-field rules). */
export type SharedShape = z.infer<typeof sharedObject>;

/** Cross-field rules of the shared stack's config (config/rules.ts runs them on every key that parsed). */
export const SHARED_RULES: readonly ConfigRule<SharedShape>[] = [
  {
    keys: ["replicationRegions"],
    check: (cfg, add) => {
      cfg.replicationRegions.forEach((code, i) => {
        if (cfg.replicationRegions.indexOf(code) !== i)
          add(["replicationRegions", i], `each region once (${code} is listed twice)`, code);
      });
    },
  },
  {
    keys: ["environments"],
    check: (cfg, add) => {
      const lanes = new Map<number, string>();
      const branches = new Map<string, string>();
      for (const [name, environment] of Object.entries(cfg.environments)) {
        const laneOwner = lanes.get(environment.addressLane);
        if (laneOwner !== undefined) {
          add(
            ["environments", name, "addressLane"],
            `a lane no other environment has (${laneOwner} has this one), so default VPC CIDRs never overlap`,
            environment.addressLane,
          );
        }
        lanes.set(environment.addressLane, name);
        const branchOwner = branches.get(environment.branch);
        if (branchOwner !== undefined) {
          add(
            ["environments", name, "branch"],
            `a branch no other environment deploys from (${branchOwner} does): one branch deploys one environment`,
            environment.branch,
          );
        }
        branches.set(environment.branch, name);
      }
    },
  },
];

export const sharedSchema = sharedObject.superRefine((cfg, ctx) => refineWith(SHARED_RULES)(cfg, ctx));
export type SharedConfig = z.infer<typeof sharedSchema>;
