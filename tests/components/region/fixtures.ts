/**
 * HeliumRegion builds shared by the region, service and edge tests. Building a region is the slow part of
 * these suites, so the three reference regions are built once per mocha process and their recorded
 * resources kept in a snapshot: tests that only read them may reset the recorder freely.
 *
 * Import `../../harness/component` before this module (it installs the mocks).
 */
import { descendantsOf, recorder, settle } from "../../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { HeliumRegion, type HeliumRegionArgs } from "../../../components/region/HeliumRegion";
import type { RegionModel } from "../../../model/types/region";
import type { RecordedResource } from "../../../offline/types";
import { SHARED_OUTPUTS, environmentModel, regionModel } from "../../fixtures/models";

export const REGION = "helium:index:HeliumRegion";
/**
 * The account handed to components. It differs from the mock's own account (123456789012, used in mocked
 * ARNs), so a test fails if a component takes the account from anywhere but its arguments.
 */
export const ACCOUNT = "111122223333";
export const ZONE_ID = SHARED_OUTPUTS.hostedZoneId;

export interface BuiltRegion {
  readonly component: HeliumRegion;
  readonly name: string;
  readonly model: RegionModel;
  readonly record: RecordedResource;
  /** Every resource registered under the component (children of its sub-components included). */
  readonly resources: RecordedResource[];
  /** Everything the build registered, the component included. */
  readonly recorded: readonly RecordedResource[];
}

/** Builds one HeliumRegion as stacks/environment.ts does and snapshots what it registered. */
export async function buildRegion(
  name: string,
  model: RegionModel,
  extra: Partial<HeliumRegionArgs> = {},
): Promise<BuiltRegion> {
  recorder.reset();
  // A value for every declared app key (as the program passes config secrets), unless the test says otherwise.
  const appSecretValues = Object.fromEntries(
    model.secret.keys.filter((k) => !k.startsWith("REDIS_")).map((k) => [k, pulumi.secret(`value-of-${k}`)]),
  );
  const component = new HeliumRegion(name, {
    model,
    account: ACCOUNT,
    hostedZoneId: ZONE_ID,
    appSecretValues,
    ...extra,
  });
  await settle();
  const recorded = [...recorder.resources];
  const record = recorded.find((r) => r.type === REGION && r.name === name);
  assert.ok(record, `component ${name} was not recorded`);
  return { component, name, model, record, resources: descendantsOf(record.urn, recorded), recorded };
}

/** Production in Singapore: NAT per AZ, every interface endpoint, protected state, one app secret. */
export function productionModel(): RegionModel {
  return environmentModel(
    { production: true, regions: [{ region: "ap-southeast-1" }], appSecrets: { DJANGO_SECRET_KEY: "from-config" } },
    { stack: "production" },
  ).regions[0];
}

/** Staging in Mumbai with tuned queue and retention; a disabled `admin` service has a route and port 9000. */
export function stagingModel(): RegionModel {
  return regionModel({
    appOrigins: ["https://staging.he2.site"],
    queue: { maxProcessingSeconds: 120, maxReceiveCount: 3 },
    logRetentionDays: 14,
    services: {
      admin: {
        enabled: false,
        repository: "helium-admin",
        port: 9000,
        routes: [{ pathPatterns: ["/admin/*"] }],
        healthCheck: { path: "/admin/health" },
      },
    },
  });
}

/** Production's second region (Virginia): no validation record of its own, Redis OSS without replicas. */
export function virginiaModel(): RegionModel {
  return environmentModel(
    {
      production: true,
      regions: [{ region: "ap-southeast-1" }, { region: "us-east-1" }],
      redis: { engine: "redis", replicas: 0 },
    },
    { stack: "production" },
  ).regions[1];
}

export interface ReferenceRegions {
  readonly prod: BuiltRegion;
  readonly stg: BuiltRegion;
  readonly variant: BuiltRegion;
}

let reference: Promise<ReferenceRegions> | undefined;

/** The three reference regions, built on first use. */
export function referenceRegions(): Promise<ReferenceRegions> {
  reference ??= (async () => {
    const prod = await buildRegion("prod-sg", productionModel(), {
      appSecretValues: { DJANGO_SECRET_KEY: pulumi.secret("from-config") },
    });
    const stg = await buildRegion("stg-mum", stagingModel());
    const variant = await buildRegion("prod-va", virginiaModel());
    return { prod, stg, variant };
  })();
  return reference;
}

export function all(built: BuiltRegion, type: string): RecordedResource[] {
  return built.resources.filter((r) => r.type === type);
}

/** The resource of `type` whose logical name is `<region name>-<suffix>`. */
export function named(built: BuiltRegion, type: string, suffix: string): RecordedResource {
  const match = built.resources.find((r) => r.type === type && r.name === `${built.name}-${suffix}`);
  assert.ok(
    match,
    `no ${type} named ${built.name}-${suffix}; have ${all(built, type)
      .map((r) => r.name)
      .join(", ")}`,
  );
  return match;
}

export const idOf = (r: RecordedResource): string => String(r.id);
export const arnOf = (r: RecordedResource): string => String(r.outputs.arn);

/** Secret inputs are recorded in the engine's wire form: `{ <sig>: <secret sig>, value }`. */
export function revealSecret(value: unknown): { secret: boolean; value: unknown } {
  if (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  ) {
    return { secret: true, value: (value as { value: unknown }).value };
  }
  return { secret: false, value };
}

export function subnetsOf(built: BuiltRegion, tier: string): RecordedResource[] {
  return all(built, "aws:ec2/subnet:Subnet").filter(
    (s) => (s.inputs.tags as Record<string, string>)["helium:tier"] === tier,
  );
}

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** Ingress or egress rules of one security group. */
export function rulesOf(
  resources: readonly RecordedResource[],
  direction: "Ingress" | "Egress",
  sg: RecordedResource,
): RecordedResource[] {
  const type = direction === "Ingress" ? INGRESS : EGRESS;
  return resources.filter((r) => r.type === type && r.inputs.securityGroupId === idOf(sg));
}
