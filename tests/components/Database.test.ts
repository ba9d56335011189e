/**
 * RegionDatabase inside a HeliumRegion, and the services that consume it, built in-process from models the
 * real resolve step produced: placement, encryption, TLS, the managed master secret, production protections,
 * the security-group paths (5432 from declared consumers only), what a consumer's task and execution role get,
 * and bad arguments registering nothing.
 */
import { descendantsOf, oneOf, policyDocument, recorder, resourcesOfType, settle } from "../harness/component";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { RegionDatabase } from "../../components/region/Database";
import { HeliumRegion } from "../../components/region/HeliumRegion";
import { HeliumService } from "../../components/service/HeliumService";
import { InputError } from "../../lib/input-error";
import type { RegionModel } from "../../model/types/region";
import type { RecordedResource } from "../../offline/types";
import { TEST_ACCOUNT, environmentModel, regionModel } from "../fixtures/models";

const T = {
  instance: "aws:rds/instance:Instance",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  kmsKey: "aws:kms/key:Key",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
} as const;

/** The backend declares the database and has a one-off migration task (CI runs it before the services update). */
const CONSUMER = { backend: { consumes: ["cache", "database"], tasks: { migrate: ["alembic", "upgrade", "head"] } } };

interface Built {
  readonly region: HeliumRegion;
  readonly resources: readonly RecordedResource[];
}

/** A HeliumRegion and its services, as stacks/environment.ts builds them. */
async function build(name: string, model: RegionModel): Promise<Built> {
  recorder.reset();
  const region = new HeliumRegion(name, { model, account: TEST_ACCOUNT, hostedZoneId: "Z0123456789ABCDEFGHIJ" });
  for (const service of model.services) {
    new HeliumService(
      `${name}-${service.name}`,
      { model: service, foundation: region, account: TEST_ACCOUNT },
      {
        parent: region,
      },
    );
  }
  await settle();
  return { region, resources: recorder.resources };
}

const idOf = (r: RecordedResource) => r.id as string;
const outputOf = (r: RecordedResource, key: string) => r.outputs[key] as string;

/** Container secrets of a service's task definition, by name. */
function secretsOf(resources: readonly RecordedResource[], service: string): Map<string, string> {
  const definition = oneOf(T.taskDefinition, new RegExp(`-${service}-task-definition$`), resources);
  const containers = JSON.parse(String(definition.inputs.containerDefinitions)) as Array<{
    secrets?: Array<{ name: string; valueFrom: string }>;
  }>;
  return new Map((containers[0]?.secrets ?? []).map((s) => [s.name, s.valueFrom]));
}

function statementsOf(resources: readonly RecordedResource[], service: string) {
  return policyDocument(oneOf(T.rolePolicy, new RegExp(`-${service}-exec-policy$`), resources).inputs.policy).Statement;
}

describe("RegionDatabase (in a HeliumRegion, with its consumers)", () => {
  describe("staging, backend declares the database", () => {
    let built: Built;
    let instance: RecordedResource;
    before(async () => {
      built = await build("staging-mumbai", regionModel({ database: {}, services: CONSUMER }));
      instance = oneOf(T.instance, /.*/, built.resources);
    });

    it("is a helium:region:Database child of the region", () => {
      const component = oneOf("helium:region:Database", /^staging-mumbai-database$/, built.resources);
      const regionUrn = oneOf("helium:index:HeliumRegion", /.*/, built.resources).urn;
      assert.equal(component.parent, regionUrn);
      assert.ok(descendantsOf(component.urn, built.resources).some((r) => r.urn === instance.urn));
    });

    it("sits in a DB subnet group of exactly the data subnets, behind its own security group, never public", () => {
      const dataSubnets = resourcesOfType(T.subnet, built.resources)
        .filter((s) => (s.inputs.tags as Record<string, string>)["helium:tier"] === "data")
        .map(idOf);
      assert.equal(dataSubnets.length, 2);
      const group = oneOf(T.subnetGroup, /.*/, built.resources);
      assert.deepEqual(group.inputs.subnetIds, dataSubnets);
      assert.equal(instance.inputs.dbSubnetGroupName, outputOf(group, "name"));
      const dbSg = oneOf(T.sg, /-db-sg$/, built.resources);
      assert.deepEqual(instance.inputs.vpcSecurityGroupIds, [idOf(dbSg)]);
      assert.equal(instance.inputs.publiclyAccessible, false);
    });

    it("is encrypted with the region key, requires TLS, and leaves the password to RDS (never an input)", () => {
      const key = outputOf(oneOf(T.kmsKey, /.*/, built.resources), "arn");
      assert.equal(instance.inputs.storageEncrypted, true);
      assert.equal(instance.inputs.kmsKeyId, key);
      assert.equal(instance.inputs.manageMasterUserPassword, true);
      assert.equal(instance.inputs.masterUserSecretKmsKeyId, key);
      assert.equal(instance.inputs.password, undefined);
      assert.equal(instance.inputs.passwordWo, undefined);
      const params = oneOf(T.parameterGroup, /.*/, built.resources);
      assert.equal(params.inputs.family, "postgres17");
      assert.deepEqual(params.inputs.parameters, [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      ]);
      assert.equal(instance.inputs.parameterGroupName, outputOf(params, "name"));
    });

    it("has generated names (create-before-delete) from the catalog's readable names", () => {
      assert.equal(instance.inputs.identifier, undefined);
      assert.equal(instance.inputs.identifierPrefix, "helium-db-staging-mum-");
      assert.equal(oneOf(T.subnetGroup, /.*/, built.resources).inputs.namePrefix, "helium-db-subnets-staging-mum-");
      assert.equal(oneOf(T.parameterGroup, /.*/, built.resources).inputs.namePrefix, "helium-db-params-staging-mum-");
    });

    it("outside production: single-AZ, no deletion protection, no final snapshot, not protected", () => {
      assert.equal(instance.inputs.multiAz, false);
      assert.equal(instance.inputs.deletionProtection, false);
      assert.equal(instance.inputs.skipFinalSnapshot, true);
      assert.equal(instance.inputs.finalSnapshotIdentifier, undefined);
      assert.equal(instance.inputs.deleteAutomatedBackups, true);
      assert.equal(instance.protect, false);
      assert.equal(resourcesOfType("random:index/randomId:RandomId", built.resources).length, 0);
    });

    it("turns the managed secret's rotation off (ECS reads the password only at task start)", () => {
      const rotation = oneOf(T.rotation, /.*/, built.resources);
      assert.equal(rotation.inputs.rotationEnabled, false);
      assert.equal(
        rotation.inputs.secretId,
        (instance.outputs.masterUserSecrets as Array<{ secretArn: string }>)[0]?.secretArn,
      );
    });

    it("opens 5432 to the declared consumer only: the backend, not the worker or the frontend", () => {
      const dbSg = idOf(oneOf(T.sg, /-db-sg$/, built.resources));
      const sgOf = (service: string) => idOf(oneOf(T.sg, new RegExp(`-${service}-sg$`), built.resources));
      const intoDb = resourcesOfType(T.ingress, built.resources).filter((r) => r.inputs.securityGroupId === dbSg);
      assert.deepEqual(
        intoDb.map((r) => [
          r.inputs.referencedSecurityGroupId,
          r.inputs.fromPort,
          r.inputs.toPort,
          r.inputs.ipProtocol,
        ]),
        [[sgOf("backend"), 5432, 5432, "tcp"]],
      );
      const towardsDb = resourcesOfType(T.egress, built.resources).filter(
        (r) => r.inputs.referencedSecurityGroupId === dbSg,
      );
      assert.deepEqual(
        towardsDb.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort]),
        [[sgOf("backend"), 5432]],
      );
      const tags = (service: string) =>
        oneOf(T.sg, new RegExp(`-${service}-sg$`), built.resources).inputs.tags as Record<string, string>;
      assert.equal(tags("backend")["helium:consumes"], "cache,database");
      assert.equal(tags("worker")["helium:consumes"], "cache");
    });

    it("writes DB_HOST, DB_PORT and DB_NAME into the backend secret from the instance", () => {
      const value = oneOf(T.secretVersion, /.*/, built.resources).inputs.secretString;
      const text = typeof value === "string" ? value : String((value as { value: unknown }).value);
      const keys = JSON.parse(text) as Record<string, string>;
      assert.equal(keys.DB_HOST, outputOf(instance, "address"));
      assert.equal(keys.DB_PORT, "5432");
      assert.equal(keys.DB_NAME, "helium");
    });

    it("gives the consumer DB_* as secrets: coordinates from the backend secret, credentials from the RDS secret", () => {
      const rdsSecret = (instance.outputs.masterUserSecrets as Array<{ secretArn: string }>)[0]?.secretArn;
      const backend = secretsOf(built.resources, "backend");
      assert.equal(backend.get("DB_USER"), `${rdsSecret}:username::`);
      assert.equal(backend.get("DB_PASSWORD"), `${rdsSecret}:password::`);
      for (const key of ["DB_HOST", "DB_PORT", "DB_NAME"])
        assert.match(backend.get(key) ?? "", new RegExp(`:${key}::`));
      for (const other of ["worker", "frontend"]) {
        assert.deepEqual(
          [...secretsOf(built.resources, other).keys()].filter((k) => k.startsWith("DB_")),
          [],
          `${other} gets no database key`,
        );
      }
      const definition = oneOf(T.taskDefinition, /-backend-task-definition$/, built.resources);
      const env = JSON.parse(String(definition.inputs.containerDefinitions))[0].environment as Array<{ name: string }>;
      assert.deepEqual(
        env.filter((e) => e.name.startsWith("DB_")),
        [],
        "never as plain environment",
      );
    });

    it("gives the consumer's one-off tasks (the migration) the same DB_* secrets", () => {
      const rdsSecret = (instance.outputs.masterUserSecrets as Array<{ secretArn: string }>)[0]?.secretArn;
      const migrate = resourcesOfType(T.taskDefinition, built.resources).find(
        (r) => (r.inputs.tags as Record<string, string>)["helium:one-off-task"] === "migrate",
      );
      assert.ok(migrate, "the migrate task definition");
      const secrets = new Map(
        (
          JSON.parse(String(migrate.inputs.containerDefinitions)) as Array<{
            secrets: Array<{ name: string; valueFrom: string }>;
          }>
        )[0]?.secrets.map((x) => [x.name, x.valueFrom]),
      );
      assert.equal(secrets.get("DB_PASSWORD"), `${rdsSecret}:password::`);
      assert.match(secrets.get("DB_HOST") ?? "", /:DB_HOST::/);
    });

    it("lets only the consumer's execution role read the RDS secret, and nothing else of it", () => {
      const rdsSecret = (instance.outputs.masterUserSecrets as Array<{ secretArn: string }>)[0]?.secretArn;
      const reads = (service: string) => statementsOf(built.resources, service).filter((s) => s.Resource === rdsSecret);
      assert.deepEqual(reads("backend"), [
        {
          Sid: "ReadDatabaseCredentials",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: rdsSecret,
        },
      ]);
      assert.deepEqual(reads("worker"), []);
      assert.deepEqual(reads("frontend"), []);
      const decrypt = statementsOf(built.resources, "backend").find((s) => s.Action === "kms:Decrypt");
      assert.deepEqual(decrypt?.Condition, {
        StringEquals: { "kms:ViaService": "secretsmanager.ap-south-1.amazonaws.com" },
      });
    });

    it("starts the consumer only after the database is available (dependsOn the instance)", () => {
      const dependsOnDb = (service: string) =>
        oneOf(T.service, new RegExp(`-${service}-service$`), built.resources).dependencies.includes(instance.urn);
      assert.equal(dependsOnDb("backend"), true);
      assert.equal(dependsOnDb("frontend"), false);
    });
  });

  describe("production", () => {
    let built: Built;
    let instance: RecordedResource;
    before(async () => {
      const model = environmentModel(
        {
          production: true,
          regions: [{ region: "ap-south-1" }],
          database: { monitoringIntervalSeconds: 60, performanceInsights: true, masterPasswordRotationDays: 30 },
          services: CONSUMER,
        },
        { stack: "production" },
      ).regions[0];
      built = await build("production-mumbai", model);
      instance = oneOf(T.instance, /.*/, built.resources);
    });

    it("is Multi-AZ, deletion-protected, protected, keeps backups 7 days and takes a uniquely named final snapshot", () => {
      assert.equal(instance.inputs.multiAz, true);
      assert.equal(instance.inputs.deletionProtection, true);
      assert.equal(instance.protect, true);
      assert.equal(instance.inputs.backupRetentionPeriod, 7);
      assert.equal(instance.inputs.skipFinalSnapshot, false);
      assert.match(String(instance.inputs.finalSnapshotIdentifier), /^helium-db-mum-final-[0-9a-f]{8}$/);
      const suffix = oneOf("random:index/randomId:RandomId", /db-final-snapshot-suffix$/, built.resources);
      // Drawn again whenever an input that replaces the instance changes.
      assert.deepEqual(Object.keys(suffix.inputs.keepers as object).sort(), [
        "dbName",
        "engine",
        "identifierPrefix",
        "kmsKeyId",
        "username",
      ]);
    });

    it("Performance Insights and Enhanced Monitoring, when on, use the region key and a scoped role", () => {
      const key = outputOf(oneOf(T.kmsKey, /.*/, built.resources), "arn");
      assert.equal(instance.inputs.performanceInsightsEnabled, true);
      assert.equal(instance.inputs.performanceInsightsKmsKeyId, key);
      assert.equal(instance.inputs.monitoringInterval, 60);
      const role = oneOf(T.role, /-db-monitoring$/, built.resources);
      assert.equal(instance.inputs.monitoringRoleArn, outputOf(role, "arn"));
      assert.match(String(role.inputs.assumeRolePolicy), /monitoring\.rds\.amazonaws\.com/);
      const statements = policyDocument(
        oneOf(T.rolePolicy, /-db-monitoring-policy$/, built.resources).inputs.policy,
      ).Statement;
      for (const s of statements)
        assert.match(String(s.Resource), /^arn:aws:logs:ap-south-1:123456789012:log-group:RDSOSMetrics:/);
    });

    it("rotates the master password on the configured schedule", () => {
      const rotation = oneOf(T.rotation, /.*/, built.resources);
      assert.deepEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
      assert.equal(rotation.inputs.rotationEnabled, undefined);
    });
  });

  describe("bad arguments register nothing", () => {
    /** RegionDatabase's arguments around `model`, with one data subnet (fewer than RDS requires). */
    const unbuiltArgs = (model: RegionModel) => ({
      model,
      namePrefix: "db",
      kmsKeyArn: "arn:aws:kms:ap-south-1:123456789012:key/x",
      dataSubnetIds: ["subnet-1"],
      securityGroupId: "sg-1",
      account: TEST_ACCOUNT,
    });

    it("RegionDatabase without a database in the model, or with one data subnet", async () => {
      recorder.reset();
      const model = regionModel();
      assert.throws(
        () => new RegionDatabase("db", unbuiltArgs(model)),
        (error: unknown) =>
          InputError.isInputError(error) &&
          error.problems.map((p) => p.key).join() === "model.database" &&
          /RegionDatabase db/.test(error.message),
      );
      const withDb = regionModel({ database: {} });
      assert.throws(
        () =>
          new RegionDatabase(
            "db",
            unbuiltArgs({
              ...withDb,
              database: { ...(withDb.database as NonNullable<RegionModel["database"]>), backupRetentionDays: 36 },
            }),
          ),
        (error: unknown) =>
          InputError.isInputError(error) &&
          JSON.stringify(error.problems.map((p) => [p.key, p.value])) ===
            JSON.stringify([
              ["model.database.backupRetentionDays", 36],
              ["dataSubnetIds", 1],
            ]),
      );
      await settle();
      assert.deepEqual(recorder.resources, []);
    });

    it("a database consumer on a foundation without a database", async () => {
      const region = regionModel({ database: {}, services: CONSUMER });
      const backend = region.services.find((s) => s.name === "backend");
      assert.ok(backend);
      recorder.reset();
      const foundation = {
        region: "ap-south-1",
        environment: "staging",
        model: region,
        logGroups: { backend: { name: pulumi.output("g"), arn: pulumi.output("arn:g") } },
        serviceSecurityGroupIds: { backend: pulumi.output("sg-1") },
        secretKeys: region.secret.keys,
      } as unknown as ConstructorParameters<typeof HeliumService>[1]["foundation"];
      assert.throws(
        () => new HeliumService("svc", { model: backend, foundation, account: TEST_ACCOUNT }),
        (error: unknown) =>
          InputError.isInputError(error) &&
          error.problems.some((p) => p.key === "model.consumes" && /no "database"/.test(p.allowed)),
      );
      await settle();
      assert.deepEqual(recorder.resources, []);
    });
  });
});
