import { policyDocument, recorder, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { HeliumRegion, type HeliumRegionArgs } from "../../../components/region/HeliumRegion";
import { InputError } from "../../../lib/input-error";
import type { NetworkModel, RegionModel } from "../../../model/types/region";
import type { ServiceModel } from "../../../model/types/service";
import { isGlobalType } from "../../../offline/mock-outputs";
import { ACCOUNT, type BuiltRegion, ZONE_ID, arnOf, named, productionModel, referenceRegions } from "./fixtures";

/** The value of the reference models' declared app secret, so each case fails for its own reason only. */
const VALUES = { DJANGO_SECRET_KEY: "from-config" };

/** Constructs a HeliumRegion that must throw; returns the error once it is clear nothing was registered. */
async function rejected(name: string, model: RegionModel, extra: Partial<HeliumRegionArgs> = {}): Promise<InputError> {
  recorder.reset();
  let caught: unknown;
  try {
    new HeliumRegion(name, { model, account: ACCOUNT, hostedZoneId: ZONE_ID, appSecretValues: VALUES, ...extra });
  } catch (error) {
    caught = error;
  }
  await settle();
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.ok(caught instanceof pulumi.RunError, "printed by the CLI as its message alone");
  assert.equal(caught.source, `HeliumRegion ${name}`);
  assert.equal(recorder.resources.length, 0, "nothing registered, not even the component");
  return caught;
}

const keysOf = (error: InputError) => error.problems.map((p) => p.key);
const withNetwork = (network: Partial<NetworkModel>): RegionModel => {
  const base = productionModel();
  return { ...base, network: { ...base.network, ...network } };
};
const withService = (index: number, patch: Partial<ServiceModel>): RegionModel => {
  const base = productionModel();
  return { ...base, services: base.services.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
};

describe("HeliumRegion", function () {
  let prod: BuiltRegion;
  let stg: BuiltRegion;
  let variant: BuiltRegion;

  before(async () => {
    ({ prod, stg, variant } = await referenceRegions());
  });
  beforeEach(() => recorder.reset());

  describe("composition", () => {
    it("composes Network, SecurityGroups, LoadBalancer and DataStores and owns the key, cluster and log groups", () => {
      for (const built of [prod, stg]) {
        const direct = built.resources.filter((r) => r.parent === built.record.urn);
        assert.deepEqual(direct.map((r) => `${r.type} ${r.name}`).sort(), [
          `aws:cloudwatch/logGroup:LogGroup ${built.name}-backend-logs`,
          `aws:cloudwatch/logGroup:LogGroup ${built.name}-frontend-logs`,
          `aws:cloudwatch/logGroup:LogGroup ${built.name}-worker-logs`,
          `aws:ecs/cluster:Cluster ${built.name}-cluster`,
          `aws:ecs/clusterCapacityProviders:ClusterCapacityProviders ${built.name}-capacity`,
          `aws:kms/alias:Alias ${built.name}-key-alias`,
          `aws:kms/key:Key ${built.name}-key`,
          `helium:region:DataStores ${built.name}-data`,
          `helium:region:LoadBalancer ${built.name}-load-balancer`,
          `helium:region:Network ${built.name}-network`,
          `helium:region:SecurityGroups ${built.name}-security-groups`,
        ]);
      }
    });

    it("keeps the model and its identity as plain data", () => {
      assert.equal(prod.component.model, prod.model);
      assert.equal(prod.component.environment, "production");
      assert.equal(prod.component.region, "ap-southeast-1");
      assert.equal(stg.component.environment, "staging");
      assert.equal(stg.component.region, "ap-south-1");
    });
  });

  describe("key, cluster and logs", () => {
    it("creates a rotating regional KMS key the account administers and CloudWatch may use in this region only", async () => {
      for (const built of [prod, stg]) {
        const key = named(built, "aws:kms/key:Key", "key");
        const region = built.model.region;
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.inputs.deletionWindowInDays, 30);
        const statements = policyDocument(key.inputs.policy).Statement;
        assert.deepEqual(
          statements.map((s) => [s.Sid, s.Principal]),
          [
            ["AccountAdministersThroughIam", { AWS: `arn:aws:iam::${ACCOUNT}:root` }],
            ["CloudWatchLogsForThisRegion", { Service: `logs.${region}.amazonaws.com` }],
            ["CloudWatchAlarmsPublishToEncryptedTopic", { Service: "cloudwatch.amazonaws.com" }],
          ],
        );
        assert.deepEqual(statements[1].Condition, {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${ACCOUNT}:log-group:*` },
        });
        assert.deepEqual(statements[2].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
        assert.deepEqual(statements[2].Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        const alias = named(built, "aws:kms/alias:Alias", "key-alias");
        assert.equal(alias.inputs.name, built.model.kmsAlias);
        assert.equal(alias.inputs.targetKeyId, key.outputs.keyId);
        assert.equal(await valueOf(built.component.kmsKeyArn), arnOf(key));
      }
      assert.equal(named(prod, "aws:kms/alias:Alias", "key-alias").inputs.name, "alias/helium-key-sg");
      assert.equal(named(stg, "aws:kms/alias:Alias", "key-alias").inputs.name, "alias/helium-key-staging-mum");
    });

    it("names the cluster as the seed does, enables Container Insights and runs on Fargate with a Fargate base", async () => {
      for (const [built, name] of [
        [prod, "helium-singapore-cluster"],
        [stg, "helium-mumbai-staging-cluster"],
      ] as const) {
        const cluster = named(built, "aws:ecs/cluster:Cluster", "cluster");
        assert.equal(cluster.inputs.name, name);
        assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        assert.equal(await valueOf(built.component.clusterName), name);
        assert.equal(await valueOf(built.component.clusterArn), arnOf(cluster));
        const capacity = named(built, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "capacity");
        assert.equal(capacity.inputs.clusterName, name);
        assert.deepEqual(capacity.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
        assert.deepEqual(capacity.inputs.defaultCapacityProviderStrategies, [
          { capacityProvider: "FARGATE", weight: 1, base: 1 },
        ]);
      }
    });

    it("creates a log group per service with the model's name and retention, encrypted with the region key", async () => {
      for (const [built, env, retention] of [
        [prod, "production", 30],
        [stg, "staging", 14],
      ] as const) {
        const keyArn = await valueOf(built.component.kmsKeyArn);
        for (const service of ["backend", "worker", "frontend"]) {
          const group = named(built, "aws:cloudwatch/logGroup:LogGroup", `${service}-logs`);
          assert.equal(group.inputs.name, `/helium/${env}/${service}`);
          assert.equal(group.inputs.retentionInDays, retention);
          assert.equal(group.inputs.kmsKeyId, keyArn);
          assert.equal(await valueOf(built.component.logGroups[service].name), group.inputs.name);
          assert.equal(await valueOf(built.component.logGroups[service].arn), arnOf(group));
        }
        assert.deepEqual(Object.keys(built.component.logGroups).sort(), ["backend", "frontend", "worker"]);
      }
    });
  });

  describe("region", () => {
    it("gives every regional resource the model's region explicitly", () => {
      for (const built of [prod, stg, variant]) {
        const regional = built.resources.filter((r) => r.custom && !isGlobalType(r.type));
        assert.ok(regional.length > 50);
        for (const r of regional) {
          assert.equal(r.inputs.region, built.model.region, `${r.type} ${r.name} input region`);
          assert.equal(r.region, built.model.region, `${r.type} ${r.name} recorded region`);
        }
        const awsGlobal = built.resources.filter((r) => r.type.startsWith("aws:") && isGlobalType(r.type));
        assert.ok(awsGlobal.length > 0);
        assert.ok(
          awsGlobal.every((r) => r.type.startsWith("aws:iam/") || r.type.startsWith("aws:route53/")),
          "only IAM and Route 53 are global",
        );
      }
    });
  });

  describe("bad input throws one InputError before anything is registered", () => {
    it("accepts the reference models (the cases below fail for their own reason)", async () => {
      recorder.reset();
      new HeliumRegion("ok-check", {
        model: productionModel(),
        account: ACCOUNT,
        hostedZoneId: ZONE_ID,
        appSecretValues: VALUES,
      });
      await settle();
      assert.ok(recorder.resources.length > 50);
    });

    it("a region lib/regions.ts does not know, and nothing else checked against it", async () => {
      const error = await rejected("mars", { ...productionModel(), region: "mars-east-1" });
      assert.deepEqual(keysOf(error), ["model.region"]);
      assert.equal(error.problems[0].value, "mars-east-1");
      assert.match(error.problems[0].allowed, /ap-south-1/);
    });

    it("fewer than 2 availability zones", async () => {
      const error = await rejected("one-az", withNetwork({ availabilityZones: ["ap-southeast-1a"] }));
      assert.ok(keysOf(error).includes("model.network.availabilityZones"), keysOf(error).join(", "));
    });

    it("a zone of another region, or the same zone twice", async () => {
      const foreign = await rejected(
        "foreign-az",
        withNetwork({ availabilityZones: ["ap-southeast-1a", "ap-south-1b"] }),
      );
      assert.deepEqual(
        foreign.problems.map((p) => [p.key, p.value]),
        [["model.network.availabilityZones[1]", "ap-south-1b"]],
      );
      const twice = await rejected(
        "twice-az",
        withNetwork({ availabilityZones: ["ap-southeast-1a", "ap-southeast-1a"] }),
      );
      assert.deepEqual(
        twice.problems.map((p) => [p.key, p.allowed]),
        [["model.network.availabilityZones[1]", "each zone once"]],
      );
    });

    it("subnets that are not the layout of the VPC CIDR", async () => {
      const base = productionModel();
      const subnets = {
        ...base.network.subnets,
        private: [{ ...base.network.subnets.private[0], cidr: "10.20.99.0/24" }, base.network.subnets.private[1]],
      };
      const error = await rejected("moved-subnet", withNetwork({ subnets }));
      assert.deepEqual(keysOf(error), ["model.network.subnets.private"]);
    });

    it("a VPC CIDR that is invalid, has host bits or is outside /16-/19", async () => {
      for (const [name, vpcCidr, allowed] of [
        ["bad-cidr", "10.0.0.0/33", /10\.0\.0\.0\/33/],
        ["host-bits", "10.0.0.1/16", /host bits/],
        ["too-small", "10.0.0.0/20", /\/16 to \/19/],
        ["too-big", "10.0.0.0/15", /\/16 to \/19/],
      ] as const) {
        const error = await rejected(name, withNetwork({ vpcCidr }));
        assert.deepEqual(keysOf(error), ["model.network.vpcCidr"], name);
        assert.match(error.problems[0].allowed, allowed);
      }
    });

    it("a node type that is not a cache type", async () => {
      for (const nodeType of ["db.t3.micro", "t3.micro", "cache.t3"]) {
        const error = await rejected("node", { ...productionModel(), cache: { ...productionModel().cache, nodeType } });
        assert.deepEqual(
          error.problems.map((p) => [p.key, p.value]),
          [["model.cache.nodeType", nodeType]],
        );
      }
    });

    it("a cache of 0 or more than 6 nodes, or a fractional count", async () => {
      for (const numCacheClusters of [0, 7, 1.5]) {
        const error = await rejected("nodes", {
          ...productionModel(),
          cache: { ...productionModel().cache, numCacheClusters },
        });
        assert.deepEqual(keysOf(error), ["model.cache.numCacheClusters"], String(numCacheClusters));
      }
    });

    it("a secret recovery window other than 0 or 7-30 days", async () => {
      for (const recoveryWindowInDays of [3, 31]) {
        const error = await rejected("window", {
          ...productionModel(),
          secret: { ...productionModel().secret, recoveryWindowInDays },
        });
        assert.deepEqual(keysOf(error), ["model.secret.recoveryWindowInDays"]);
      }
    });

    it("any physical name AWS would reject", async () => {
      const bad = "bad name!";
      const base = productionModel();
      const cases: Array<[string, RegionModel]> = [
        ["model.filesBucket.name", { ...base, filesBucket: { ...base.filesBucket, name: bad } }],
        [
          "model.loadBalancer.accessLogBucket",
          { ...base, loadBalancer: { ...base.loadBalancer, accessLogBucket: bad } },
        ],
        ["model.loadBalancer.name", { ...base, loadBalancer: { ...base.loadBalancer, name: bad } }],
        ["model.cache.replicationGroupId", { ...base, cache: { ...base.cache, replicationGroupId: bad } }],
        ["model.network.flowLogRole", withNetwork({ flowLogRole: bad })],
        ["model.network.flowLogGroup", withNetwork({ flowLogGroup: bad })],
        ["model.clusterName", { ...base, clusterName: bad }],
        ["model.queue.name", { ...base, queue: { ...base.queue, name: bad } }],
        ["model.queue.dlqName", { ...base, queue: { ...base.queue, dlqName: bad } }],
        ["model.secret.name", { ...base, secret: { ...base.secret, name: bad } }],
      ];
      for (const [key, model] of cases) {
        const error = await rejected("bad-name", model);
        assert.deepEqual(
          error.problems.map((p) => [p.key, p.value]),
          [[key, bad]],
        );
      }
      const long = await rejected("long-alb", {
        ...base,
        loadBalancer: { ...base.loadBalancer, name: "helium-alb-preproduction-canary-sg" },
      });
      assert.match(long.problems[0].allowed, /\(34 characters\).*1-32/);
    });

    it("a service listed twice, or one of another region or environment", async () => {
      const base = productionModel();
      const twice = await rejected("twice", { ...base, services: [...base.services, base.services[0]] });
      assert.deepEqual(
        twice.problems.map((p) => [p.key, p.value]),
        [
          ["model.services[3].name", "backend"],
          // The copy's route also takes the original's listener priority.
          ["model.services.backend.routes[0].priority", base.services[0].routes[0].priority],
        ],
      );
      const foreign = await rejected("foreign", withService(1, { region: "us-east-1" }));
      assert.deepEqual(keysOf(foreign), ["model.services[1]"]);
      const otherEnv = await rejected("other-env", withService(1, { environment: "staging" }));
      assert.deepEqual(
        otherEnv.problems.map((p) => [p.key, p.value]),
        [["model.services[1]", "staging/ap-southeast-1"]],
      );
    });

    it("a service breaking a service rule, keyed under its name", async () => {
      const error = await rejected("svc", withService(0, { port: 70000 }));
      assert.deepEqual(
        error.problems.map((p) => [p.key, p.value]),
        [["model.services.backend.port", 70000]],
      );
    });

    it("two services' routes at the same listener priority", async () => {
      const base = productionModel();
      const backendPriority = base.services[0].routes[0].priority;
      const error = await rejected(
        "same-priority",
        withService(2, { routes: [{ ...base.services[2].routes[0], priority: backendPriority }] }),
      );
      assert.deepEqual(
        error.problems.map((p) => [p.key, p.value]),
        [["model.services.frontend.routes[0].priority", backendPriority]],
      );
      assert.match(error.problems[0].allowed, /backend\.routes\[0\]/);
    });

    it("names every problem at once, in one message", async () => {
      const base = productionModel();
      const error = await rejected("many", {
        ...base,
        cache: { ...base.cache, nodeType: "db.t3.micro", numCacheClusters: 9 },
        secret: { ...base.secret, recoveryWindowInDays: 1 },
      });
      assert.deepEqual(keysOf(error), [
        "model.cache.nodeType",
        "model.cache.numCacheClusters",
        "model.secret.recoveryWindowInDays",
      ]);
      assert.match(error.message, /^Invalid input for HeliumRegion many \(3 problems\); nothing was created:/);
      for (const key of keysOf(error)) assert.ok(error.message.includes(`  - ${key}: `), key);
    });

    // DEFECT (reported): the resolve step refuses a certificate name over 64 characters (ACM's common-name limit,
    // model/environment.ts), but regionProblems does not, so a HeliumRegion built directly registers a
    // certificate ACM will reject. Input: productionModel() with loadBalancer.certificate.domainName
    // "a-very-long-api-name-for-a-preproduction-environment.example-company.com" (71 characters).
    it("a certificate name longer than ACM's 64 characters", async () => {
      const base = productionModel();
      const domainName = "a-very-long-api-name-for-a-preproduction-environment.example-company.com";
      const error = await rejected("long-cert", {
        ...base,
        loadBalancer: { ...base.loadBalancer, certificate: { ...base.loadBalancer.certificate, domainName } },
      });
      assert.deepEqual(keysOf(error), ["model.loadBalancer.certificate.domainName"]);
    });

    // The model declares DJANGO_SECRET_KEY (model.secret.keys) and a service may inject it: without its value the
    // secret would lack the key and tasks would fail at start (ECS cannot resolve the valueFrom).
    it("a declared app secret key without a value", async () => {
      const error = await rejected("no-value", productionModel(), { appSecretValues: {} });
      assert.deepEqual(keysOf(error), ["appSecretValues.DJANGO_SECRET_KEY"]);
    });
  });
});
