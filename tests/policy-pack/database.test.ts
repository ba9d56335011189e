/**
 * The database on whole stacks: staging and production evaluated under mocks with `helium:database` set (a
 * config override; the committed stacks have none) and the backend declaring it. The whole pack passes; each
 * RDS rule fails when one setting of the real instance is broken; and port 5432 is open to declared
 * consumers only.
 */
import assert from "node:assert/strict";
import { runPolicyPack } from "../../policy-pack/engine";
import { evaluateStack } from "../../offline/evaluate";
import { DATABASE_ON } from "../fixtures/variants";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { PACK_CONFIG } from "../fixtures/pack-config";
import { startEvaluations } from "../harness/prefetch";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const ofType = (evaluation: StackEvaluation, type: string) => evaluation.resources.filter((r) => r.type === type);
const tagsOf = (r: RecordedResource) => (r.inputs.tags ?? {}) as Record<string, string>;

/** Mandatory findings, readable. */
function mandatory(resources: readonly RecordedResource[]): string[] {
  return runPolicyPack(resources, { config: PACK_CONFIG })
    .violations.filter((v) => v.enforcementLevel === "mandatory")
    .map((v) => `${v.policy} on ${v.resourceName}: ${v.message}`);
}

/**
 * The resources with one setting of `target` changed, in its inputs (what resource policies see) and its
 * outputs (what stack policies see).
 */
function withInputs(
  resources: readonly RecordedResource[],
  target: RecordedResource,
  change: (values: Record<string, unknown>) => Record<string, unknown>,
): RecordedResource[] {
  return resources.map((r) =>
    r === target ? { ...r, inputs: change({ ...r.inputs }), outputs: change({ ...r.outputs }) } : r,
  );
}

/** Mandatory findings on `target` after breaking it, as `policy: message`. */
function findingsOn(resources: readonly RecordedResource[], target: RecordedResource): string[] {
  return runPolicyPack(resources, { config: PACK_CONFIG })
    .violations.filter((v) => v.resource === target.urn && v.enforcementLevel === "mandatory")
    .map((v) => `${v.policy}: ${v.message}`);
}

describe("the database on whole stacks (helium:database set by a config override)", function () {
  this.timeout(300_000);
  startEvaluations([
    ["staging", { configOverrides: DATABASE_ON }],
    ["production", { configOverrides: DATABASE_ON }],
    ["staging", { configOverrides: DATABASE_ON, mode: "preview" }],
  ]);
  const stacks = {} as Record<"staging" | "production", StackEvaluation>;

  before(async () => {
    const [staging, production] = await Promise.all([
      evaluateStack("staging", { configOverrides: DATABASE_ON }),
      evaluateStack("production", { configOverrides: DATABASE_ON }),
    ]);
    stacks.staging = staging;
    stacks.production = production;
  });

  it("the committed stacks have no database (off by default)", async () => {
    for (const stack of ["staging", "production"]) {
      const committed = await evaluateStack(stack);
      assert.deepEqual(
        committed.resources.filter((r) => r.type.startsWith("aws:rds/")).map((r) => r.name),
        [],
        stack,
      );
    }
  });

  it("plans one PostgreSQL instance per region: single-AZ in staging, Multi-AZ in production", () => {
    const plan = (evaluation: StackEvaluation) =>
      ofType(evaluation, RDS_INSTANCE).map((r) => [r.region, r.inputs.engine, r.inputs.multiAz]);
    assert.deepEqual(plan(stacks.staging), [["ap-south-1", "postgres", false]]);
    assert.deepEqual(plan(stacks.production), [
      ["ap-south-1", "postgres", true],
      ["ap-southeast-1", "postgres", true],
      ["us-east-1", "postgres", true],
    ]);
  });

  for (const stack of ["staging", "production"] as const) {
    it(`${stack}: the whole policy pack passes, with zero mandatory violations`, () => {
      assert.deepEqual(mandatory(stacks[stack].resources), []);
    });
  }

  it("staging at its first preview (ids unknown): zero mandatory violations, and no RDS check lost on the instance", async () => {
    const preview = await evaluateStack("staging", { configOverrides: DATABASE_ON, mode: "preview" });
    const report = runPolicyPack(preview.resources, { config: PACK_CONFIG });
    assert.deepEqual(
      report.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => `${v.policy} on ${v.resourceName}`),
      [],
    );
    const instance = ofType(preview, RDS_INSTANCE)[0];
    assert.deepEqual(
      report.skipped.filter((s) => s.resource === instance.urn).map((s) => `${s.policy}: ${s.reason}`),
      [],
    );
  });

  describe("each RDS rule fails when one setting of the real instance breaks (staging)", () => {
    const instanceOf = () => ofType(stacks.staging, RDS_INSTANCE)[0];

    it("publiclyAccessible: true → helium-rds-not-public", () => {
      const target = instanceOf();
      const broken = withInputs(stacks.staging.resources, target, (i) => ({ ...i, publiclyAccessible: true }));
      assert.deepEqual(findingsOn(broken, target), [
        "helium-rds-not-public: publiclyAccessible is true: databases must not be reachable from the internet",
      ]);
    });

    it("storageEncrypted: false → helium-rds-encryption", () => {
      const target = instanceOf();
      const broken = withInputs(stacks.staging.resources, target, (i) => ({ ...i, storageEncrypted: false }));
      assert.deepEqual(findingsOn(broken, target), ["helium-rds-encryption: storageEncrypted is not true"]);
    });

    it("a DB subnet group of the public subnets → helium-data-private-subnets", () => {
      const target = instanceOf();
      const group = ofType(stacks.staging, RDS_SUBNET_GROUP)[0];
      const publicSubnets = ofType(stacks.staging, SUBNET)
        .filter((s) => tagsOf(s)["helium:tier"] === "public")
        .map((s) => s.id);
      const broken = withInputs(stacks.staging.resources, group, (i) => ({ ...i, subnetIds: publicSubnets }));
      const findings = findingsOn(broken, target);
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.match(
        findings[0] ?? "",
        /^helium-data-private-subnets: subnet group .* holds subnets that are not private: .*routes to an internet gateway/,
      );
    });

    it("no dbSubnetGroupName (the default VPC's subnets) → helium-data-private-subnets", () => {
      const target = instanceOf();
      const broken = withInputs(stacks.staging.resources, target, (i) => {
        const { dbSubnetGroupName: _dropped, ...rest } = i;
        return rest;
      });
      assert.deepEqual(
        findingsOn(broken, target).map((f) => f.split(" is not set")[0]),
        ["helium-data-private-subnets: dbSubnetGroupName"],
      );
    });
  });

  describe("port 5432 is open to declared consumers only", () => {
    for (const stack of ["staging", "production"] as const) {
      it(`${stack}: every region's database group admits the backend's group and nothing else; only the backend may send`, () => {
        const evaluation = stacks[stack];
        const groups = ofType(evaluation, SECURITY_GROUP);
        const byId = new Map(groups.map((g) => [g.id as string, g]));
        const describe = (id: unknown) => {
          const g = byId.get(String(id));
          const tags = g === undefined ? {} : tagsOf(g);
          return tags["helium:service"] ?? tags["helium:data-store"] ?? tags.Name ?? String(id);
        };
        const databaseGroups = groups.filter((g) => tagsOf(g)["helium:data-store"] === "database");
        assert.equal(databaseGroups.length, ofType(evaluation, RDS_INSTANCE).length, "one database group per region");
        const covers5432 = (r: RecordedResource) =>
          r.inputs.ipProtocol === "-1" || (Number(r.inputs.fromPort) <= 5432 && Number(r.inputs.toPort) >= 5432);
        // Every ingress rule in the stack that admits 5432: only into database groups, only from the backend.
        const admitted = ofType(evaluation, INGRESS)
          .filter(covers5432)
          .map(
            (r) =>
              `${describe(r.inputs.securityGroupId)} ← ${describe(r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4)}`,
          );
        assert.deepEqual(
          admitted,
          databaseGroups.map(() => "database ← backend"),
        );
        // Every egress rule that sends to 5432: only from the backend, only to a database group.
        const sent = ofType(evaluation, EGRESS)
          .filter(covers5432)
          .map(
            (r) =>
              `${describe(r.inputs.securityGroupId)} → ${describe(r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4)}`,
          );
        assert.deepEqual(
          sent,
          databaseGroups.map(() => "backend → database"),
        );
        // And the instances sit behind those groups only.
        for (const instance of ofType(evaluation, RDS_INSTANCE)) {
          const attached = (instance.inputs.vpcSecurityGroupIds as string[]).map(describe);
          assert.deepEqual(attached, ["database"]);
        }
      });
    }
  });
});
