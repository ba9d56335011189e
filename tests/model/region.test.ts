import * as assert from "node:assert/strict";
import {
  DEFAULT_ENGINE_VERSIONS,
  DLQ_RETENTION_SECONDS,
  INTERFACE_ENDPOINTS,
  PLATFORM_SECRET_KEYS,
  visibilityTimeoutSeconds,
} from "../../lib/platform";
import { regionProblems } from "../../model/region";
import type { RegionModel } from "../../model/types/region";
import { environmentModel, regionModel } from "../fixtures/models";

const production = (overrides: Record<string, unknown> = {}): RegionModel =>
  environmentModel({ production: true, regions: [{ region: "ap-southeast-1" }], ...overrides }, { stack: "production" })
    .regions[0];

describe("model/region", () => {
  describe("resolveRegion", () => {
    it("uses the region's first zones and lays out a /24 per tier and zone", () => {
      const model = regionModel({ regions: [{ region: "ap-south-1", azCount: 3 }] });
      assert.deepEqual(model.network.availabilityZones, ["ap-south-1a", "ap-south-1b", "ap-south-1c"]);
      assert.equal(model.network.vpcCidr, "10.110.0.0/16", "staging's address lane in Mumbai's slot");
      assert.deepEqual(model.network.subnets.private, [
        { cidr: "10.110.10.0/24", availabilityZone: "ap-south-1a" },
        { cidr: "10.110.11.0/24", availabilityZone: "ap-south-1b" },
        { cidr: "10.110.12.0/24", availabilityZone: "ap-south-1c" },
      ]);
      assert.deepEqual(
        model.network.subnets.public.map((s) => s.cidr),
        ["10.110.1.0/24", "10.110.2.0/24", "10.110.3.0/24"],
      );
      assert.deepEqual(
        model.network.subnets.data.map((s) => s.cidr),
        ["10.110.20.0/24", "10.110.21.0/24", "10.110.22.0/24"],
      );
      const explicit = regionModel({
        regions: [{ region: "ap-south-1", availabilityZones: ["ap-south-1c", "ap-south-1a"], vpcCidr: "10.99.0.0/16" }],
      });
      assert.deepEqual(explicit.network.availabilityZones, ["ap-south-1c", "ap-south-1a"]);
      assert.deepEqual(explicit.network.subnets.public, [
        { cidr: "10.99.1.0/24", availabilityZone: "ap-south-1c" },
        { cidr: "10.99.2.0/24", availabilityZone: "ap-south-1a" },
      ]);
    });

    it("defaults production to NAT per AZ, every interface endpoint, deletion protection, protected state, kept snapshots and fixed bucket names", () => {
      const prod = production();
      assert.equal(prod.production, true);
      assert.equal(prod.protect, true);
      assert.equal(prod.network.natGateways, "perAz");
      assert.deepEqual(prod.network.interfaceEndpoints, [...INTERFACE_ENDPOINTS]);
      assert.equal(prod.loadBalancer.deletionProtection, true);
      assert.equal(prod.cache.snapshotRetentionDays, 7);
      assert.equal(prod.cache.finalSnapshotIdentifier, "helium-redis-sg-final");
      assert.equal(prod.secret.recoveryWindowInDays, 30);
      assert.deepEqual([prod.filesBucket.generatedName, prod.loadBalancer.generatedBucketName], [false, false]);
      const stg = regionModel();
      assert.deepEqual(
        [stg.protect, stg.network.natGateways, stg.network.interfaceEndpoints, stg.loadBalancer.deletionProtection],
        [false, "single", [], false],
      );
      assert.deepEqual([stg.cache.snapshotRetentionDays, stg.cache.finalSnapshotIdentifier], [0, undefined]);
      assert.equal(stg.secret.recoveryWindowInDays, 0, "a destroyed staging can be re-created at once");
      assert.deepEqual(
        [stg.filesBucket.generatedName, stg.loadBalancer.generatedBucketName],
        [true, true],
        "S3 may hold a deleted bucket's name for days: outside production bucket names are generated",
      );
    });

    it("lets config override each production default", () => {
      const prod = production({
        protect: false,
        regions: [{ region: "ap-southeast-1", natGateways: "single", interfaceEndpoints: ["logs"] }],
        alb: { deletionProtection: false },
      });
      assert.deepEqual(
        [prod.protect, prod.network.natGateways, prod.network.interfaceEndpoints, prod.loadBalancer.deletionProtection],
        [false, "single", ["logs"], false],
      );
      const stg = regionModel({ redis: { snapshotRetentionDays: 3 } });
      assert.equal(stg.cache.snapshotRetentionDays, 3);
      assert.equal(stg.cache.finalSnapshotIdentifier, undefined, "a final snapshot would block re-creating staging");
    });

    it("names everything per environment and region, production without an environment marker", () => {
      const prod = production();
      assert.deepEqual(
        [
          prod.kmsAlias,
          prod.loadBalancer.name,
          prod.loadBalancer.accessLogBucket,
          prod.clusterName,
          prod.queue.name,
          prod.queue.dlqName,
          prod.cache.replicationGroupId,
          prod.cache.subnetGroupName,
          prod.filesBucket.name,
          prod.secret.name,
          prod.network.flowLogGroup,
          prod.network.flowLogRole,
          prod.iamPath,
        ],
        [
          "alias/helium-key-sg",
          "helium-alb-sg",
          "helium-alb-logs-sg",
          "helium-singapore-cluster",
          "helium-work-sg",
          "helium-work-dlq-sg",
          "helium-redis-sg",
          "helium-redis-subnets-sg",
          "helium-files-sg",
          "helium/backend/production",
          "/helium/production/vpc-flow-logs/ap-southeast-1",
          "helium-flow-logs-sg",
          "/helium/production/",
        ],
      );
      const stg = regionModel();
      assert.deepEqual(
        [stg.loadBalancer.name, stg.clusterName, stg.filesBucket.name, stg.secret.name],
        [
          "helium-alb-staging-mum",
          "helium-mumbai-staging-cluster",
          "helium-files-staging-mum",
          "helium/backend/staging",
        ],
      );
    });

    it("lists the ports the load balancer forwards to once each, ascending, for routed enabled services only", () => {
      assert.deepEqual(regionModel().loadBalancer.targetPorts, [3000, 8000]);
      const model = regionModel({
        services: {
          admin: {
            repository: "helium-frontend",
            port: 8000,
            routes: [{ pathPatterns: ["/admin/*"] }],
            healthCheck: { path: "/" },
          },
          metrics: { repository: "helium-backend", port: 9100 },
          legacy: {
            enabled: false,
            repository: "helium-backend",
            port: 7000,
            routes: [{ pathPatterns: ["/legacy/*"] }],
            healthCheck: { path: "/" },
          },
        },
      });
      assert.deepEqual(model.loadBalancer.targetPorts, [3000, 8000]);
      assert.deepEqual(
        model.services.map((s) => s.name),
        ["backend", "worker", "frontend", "admin", "metrics"],
      );
    });

    it("derives queue timings: visibility 6 × processing time, retention in days, a 14-day DLQ", () => {
      const model = regionModel({ queue: { maxProcessingSeconds: 120, maxReceiveCount: 3, messageRetentionDays: 2 } });
      assert.deepEqual(model.queue, {
        name: "helium-work-staging-mum",
        dlqName: "helium-work-dlq-staging-mum",
        visibilityTimeoutSeconds: 720,
        messageRetentionSeconds: 2 * 86400,
        dlqRetentionSeconds: DLQ_RETENTION_SECONDS,
        maxReceiveCount: 3,
      });
      assert.equal(DLQ_RETENTION_SECONDS, 14 * 86400);
    });

    it("visibilityTimeoutSeconds is 6 × processing time, capped at SQS's 12 hours", () => {
      assert.equal(visibilityTimeoutSeconds(60), 360);
      assert.equal(visibilityTimeoutSeconds(1), 6);
      assert.equal(visibilityTimeoutSeconds(7200), 43200);
      assert.equal(visibilityTimeoutSeconds(10_000), 43200);
    });

    it("defaults the engine version per engine and counts the primary with the replicas", () => {
      const valkey = regionModel();
      assert.deepEqual(
        [valkey.cache.engine, valkey.cache.engineVersion, valkey.cache.numCacheClusters, valkey.cache.port],
        ["valkey", DEFAULT_ENGINE_VERSIONS.valkey, 2, 6379],
      );
      const redis = regionModel({ redis: { engine: "redis", replicas: 0 } });
      assert.deepEqual([redis.cache.engineVersion, redis.cache.numCacheClusters], [DEFAULT_ENGINE_VERSIONS.redis, 1]);
      assert.equal(regionModel({ redis: { engineVersion: "7.2" } }).cache.engineVersion, "7.2");
    });

    it("declares the platform's secret keys plus the configured app secrets, each once", () => {
      assert.deepEqual(regionModel().secret.keys, [...PLATFORM_SECRET_KEYS]);
      assert.deepEqual(regionModel({ appSecrets: { REDIS_HOST: "ignored", DJANGO_SECRET_KEY: "x" } }).secret.keys, [
        ...PLATFORM_SECRET_KEYS,
        "DJANGO_SECRET_KEY",
      ]);
    });

    it("allows the domain's origins by default, or the configured ones", () => {
      assert.deepEqual(regionModel().filesBucket.corsOrigins, ["https://he2.site", "https://www.he2.site"]);
      assert.deepEqual(regionModel({ appOrigins: ["https://app.example.com"] }).filesBucket.corsOrigins, [
        "https://app.example.com",
      ]);
    });
  });

  describe("regionProblems", () => {
    it("finds nothing wrong with resolved regions", () => {
      assert.deepEqual(regionProblems(regionModel()), []);
      assert.deepEqual(regionProblems(production()), []);
      assert.deepEqual(regionProblems(regionModel({ regions: [{ region: "us-east-1", azCount: 5 }] })), []);
    });

    it("accepts the edges of every range", () => {
      const base = production();
      for (const numCacheClusters of [1, 6])
        assert.deepEqual(regionProblems({ ...base, cache: { ...base.cache, numCacheClusters } }), []);
      for (const recoveryWindowInDays of [0, 7, 30])
        assert.deepEqual(regionProblems({ ...base, secret: { ...base.secret, recoveryWindowInDays } }), []);
    });

    it("stops at an unknown region: nothing else can be checked against it", () => {
      const base = production();
      const problems = regionProblems({
        ...base,
        region: "mars-east-1",
        cache: { ...base.cache, nodeType: "db.t3.micro" },
      });
      assert.deepEqual(
        problems.map((p) => p.key),
        ["region"],
      );
    });

    it("keys problems by the model's fields and says what is allowed", () => {
      const base = production();
      const problems = regionProblems({
        ...base,
        network: { ...base.network, availabilityZones: ["ap-southeast-1a", "ap-southeast-1z"] },
        cache: { ...base.cache, nodeType: "cache.t3" },
      });
      assert.deepEqual(problems, [
        {
          key: "network.availabilityZones[1]",
          value: "ap-southeast-1z",
          allowed: "one of ap-southeast-1a, ap-southeast-1b, ap-southeast-1c",
        },
        {
          key: "cache.nodeType",
          value: "cache.t3",
          allowed: "an ElastiCache node type, cache.<family>.<size>, e.g. cache.t3.micro",
        },
      ]);
    });
  });
});
