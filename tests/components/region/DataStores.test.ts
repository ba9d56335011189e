import { policyDocument, recorder, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import { NONCURRENT_VERSION_DAYS } from "../../../components/region/DataStores";
import {
  DEFAULT_ENGINE_VERSIONS,
  DLQ_RETENTION_SECONDS,
  PLATFORM_SECRET_KEYS,
  REDIS_PORT,
} from "../../../lib/platform";
import {
  type BuiltRegion,
  SECURITY_GROUP,
  all,
  arnOf,
  idOf,
  named,
  referenceRegions,
  revealSecret,
  subnetsOf,
} from "./fixtures";

const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";

function secretValues(built: BuiltRegion): Record<string, string> {
  const secretString = revealSecret(named(built, SECRET_VERSION, "backend-secret-value").inputs.secretString);
  assert.equal(secretString.secret, true, "the secret value is recorded as a secret");
  return JSON.parse(String(secretString.value)) as Record<string, string>;
}

describe("RegionDataStores (through HeliumRegion)", function () {
  let prod: BuiltRegion;
  let stg: BuiltRegion;
  /** Redis OSS without replicas. */
  let variant: BuiltRegion;

  before(async () => {
    ({ prod, stg, variant } = await referenceRegions());
  });
  beforeEach(() => recorder.reset());

  it("is one helium:region:DataStores component under the HeliumRegion", () => {
    for (const built of [prod, stg]) {
      const components = built.resources.filter((r) => r.type === "helium:region:DataStores");
      assert.deepEqual(
        components.map((c) => [c.name, c.parent]),
        [[`${built.name}-data`, built.record.urn]],
      );
      assert.equal(named(built, REDIS, "redis").parent, components[0].urn);
    }
  });

  describe("queue", () => {
    it("encrypts the queue and its DLQ, redrives after maxReceiveCount and keeps dead letters 14 days", async () => {
      for (const [built, maxReceiveCount, maxProcessing, name] of [
        [prod, 5, 60, "helium-work-sg"],
        [stg, 3, 120, "helium-work-staging-mum"],
      ] as const) {
        const queue = named(built, "aws:sqs/queue:Queue", "queue");
        const dlq = named(built, "aws:sqs/queue:Queue", "dlq");
        assert.equal(queue.inputs.name, name);
        assert.equal(dlq.inputs.name, built.model.queue.dlqName);
        for (const q of [queue, dlq]) assert.equal(q.inputs.sqsManagedSseEnabled, true, `${q.name} encrypted`);
        assert.deepEqual(JSON.parse(String(queue.inputs.redrivePolicy)), {
          deadLetterTargetArn: arnOf(dlq),
          maxReceiveCount,
        });
        assert.equal(dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
        assert.equal(DLQ_RETENTION_SECONDS, 14 * 24 * 3600);
        assert.equal(queue.inputs.messageRetentionSeconds, 4 * 24 * 3600);
        assert.equal(queue.inputs.visibilityTimeoutSeconds, 6 * maxProcessing);
        assert.equal(queue.inputs.receiveWaitTimeSeconds, 20, "long polling");
        for (const q of [queue, dlq]) {
          const policy = all(built, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.inputs.queueUrl === q.outputs.url);
          assert.ok(policy, `${q.name} has a TLS-only policy`);
          assert.deepEqual(policyDocument(policy.inputs.policy).Statement, [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "sqs:*",
              Resource: [arnOf(q)],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ]);
        }
        assert.equal(await valueOf(built.component.queueUrl), queue.outputs.url);
        assert.equal(await valueOf(built.component.queueArn), arnOf(queue));
        assert.equal(await valueOf(built.component.queueName), name);
        assert.equal(await valueOf(built.component.dlqArn), arnOf(dlq));
      }
    });

    it("lets only its own work queue redrive into the DLQ", () => {
      for (const built of [prod, stg]) {
        const allow = named(built, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "dlq-redrive-allow");
        assert.equal(allow.inputs.queueUrl, named(built, "aws:sqs/queue:Queue", "dlq").outputs.url);
        assert.deepEqual(JSON.parse(String(allow.inputs.redriveAllowPolicy)), {
          redrivePermission: "byQueue",
          sourceQueueArns: [arnOf(named(built, "aws:sqs/queue:Queue", "queue"))],
        });
      }
    });
  });

  describe("cache", () => {
    it("puts the cache in the data subnets behind the cache group, encrypted at rest (region key) and in transit, with the generated AUTH token", async () => {
      for (const built of [prod, stg]) {
        const redis = named(built, REDIS, "redis");
        const subnetGroup = named(built, "aws:elasticache/subnetGroup:SubnetGroup", "redis-subnets");
        assert.equal(redis.inputs.replicationGroupId, built.model.cache.replicationGroupId);
        assert.equal(redis.inputs.subnetGroupName, subnetGroup.outputs.name);
        assert.equal(subnetGroup.inputs.name, built.model.cache.subnetGroupName);
        assert.deepEqual(
          [...(subnetGroup.inputs.subnetIds as string[])].sort(),
          subnetsOf(built, "data").map(idOf).sort(),
        );
        assert.deepEqual(redis.inputs.securityGroupIds, [idOf(named(built, SECURITY_GROUP, "redis-sg"))]);
        assert.equal(redis.inputs.atRestEncryptionEnabled, true);
        assert.equal(redis.inputs.kmsKeyId, await valueOf(built.component.kmsKeyArn));
        assert.equal(redis.inputs.transitEncryptionEnabled, true);
        assert.equal(redis.inputs.nodeType, "cache.t3.micro");
        assert.equal(redis.inputs.engine, "valkey");
        assert.equal(redis.inputs.engineVersion, DEFAULT_ENGINE_VERSIONS.valkey);
        assert.equal(redis.inputs.port, REDIS_PORT);
        const token = revealSecret(redis.inputs.authToken);
        assert.equal(token.secret, true, "the AUTH token is a secret input");
        const password = named(built, "random:index/randomPassword:RandomPassword", "redis-auth");
        assert.equal(token.value, password.outputs.result, "the AUTH token is the generated password");
        assert.equal(password.inputs.length, 64);
        assert.notEqual(token.value, "from-config", "not a configured value");
        // One replica: two nodes, automatic failover and Multi-AZ.
        assert.equal(redis.inputs.numCacheClusters, 2);
        assert.equal(redis.inputs.automaticFailoverEnabled, true);
        assert.equal(redis.inputs.multiAzEnabled, true);
        assert.equal(await valueOf(built.component.redisPrimaryEndpoint), redis.outputs.primaryEndpointAddress);
      }
    });

    it("retains snapshots and takes a final one in production only", () => {
      const prodRedis = named(prod, REDIS, "redis");
      assert.equal(prodRedis.inputs.snapshotRetentionLimit, 7);
      assert.equal(prodRedis.inputs.finalSnapshotIdentifier, "helium-redis-sg-final");
      const stgRedis = named(stg, REDIS, "redis");
      assert.equal(stgRedis.inputs.snapshotRetentionLimit, 0);
      assert.equal(stgRedis.inputs.finalSnapshotIdentifier, undefined);
    });

    it("defaults the engine version per engine (no Redis OSS 8 on ElastiCache) and honours replicas: 0", () => {
      const redis = named(variant, REDIS, "redis");
      assert.equal(redis.inputs.engine, "redis");
      assert.equal(redis.inputs.engineVersion, DEFAULT_ENGINE_VERSIONS.redis);
      assert.equal(redis.inputs.numCacheClusters, 1);
      assert.equal(redis.inputs.automaticFailoverEnabled, false);
      assert.equal(redis.inputs.multiAzEnabled, false);
    });
  });

  describe("files bucket", () => {
    // Changed with 2c259e6: outside production the name is generated from the readable one (S3 may hold a
    // deleted name for days) and the bucket can be destroyed with its files, so staging can be re-created at once.
    it("is named helium-files-<short> in production and generated from that prefix, force-destroyable, elsewhere", () => {
      const prodBucket = named(prod, "aws:s3/bucket:Bucket", "files");
      assert.deepEqual(
        [prodBucket.inputs.bucket, prodBucket.inputs.bucketPrefix, prodBucket.inputs.forceDestroy],
        ["helium-files-sg", undefined, false],
      );
      const stgBucket = named(stg, "aws:s3/bucket:Bucket", "files");
      assert.deepEqual(
        [stgBucket.inputs.bucket, stgBucket.inputs.bucketPrefix, stgBucket.inputs.forceDestroy],
        [undefined, "helium-files-staging-mum-", true],
      );
    });

    it("creates helium-files-<short>: versioned, SSE-KMS with the region key, private, TLS-only, CORS for the app, old versions expire", async () => {
      for (const [built, origins] of [
        [prod, ["https://he2.site", "https://www.he2.site"]],
        [stg, ["https://staging.he2.site"]],
      ] as const) {
        const bucket = named(built, "aws:s3/bucket:Bucket", "files");
        const bucketName = String(bucket.outputs.bucket);
        assert.equal(await valueOf(built.component.filesBucketName), bucketName);
        assert.equal(await valueOf(built.component.filesBucketArn), arnOf(bucket));
        const of = (type: string) => {
          const found = all(built, type).filter((r) => r.inputs.bucket === bucketName);
          assert.equal(found.length, 1, `${type} of ${bucketName}`);
          return found[0].inputs;
        };
        assert.deepEqual(of("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration, { status: "Enabled" });
        assert.deepEqual(
          of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules,
          [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: await valueOf(built.component.kmsKeyArn),
              },
              bucketKeyEnabled: true,
            },
          ],
        );
        const block = of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
          assert.equal(block[flag], true, flag);
        const statements = policyDocument(of("aws:s3/bucketPolicy:BucketPolicy").policy).Statement;
        assert.deepEqual(
          statements.map((s) => [s.Effect, s.Principal, s.Condition]),
          [["Deny", "*", { Bool: { "aws:SecureTransport": "false" } }]],
        );
        assert.deepEqual(statements[0].Resource, [arnOf(bucket), `${arnOf(bucket)}/*`]);
        const cors = of("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").corsRules as Array<{
          allowedOrigins: string[];
        }>;
        assert.deepEqual(
          cors.map((r) => r.allowedOrigins),
          [origins],
        );
        const lifecycle = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Array<{
          status: string;
          noncurrentVersionExpiration?: { noncurrentDays: number };
          abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
        }>;
        assert.deepEqual(
          lifecycle.map((r) => [r.status, r.noncurrentVersionExpiration?.noncurrentDays]),
          [
            ["Enabled", NONCURRENT_VERSION_DAYS],
            ["Enabled", undefined],
          ],
          "noncurrent versions expire",
        );
        assert.equal(lifecycle[1].abortIncompleteMultipartUpload?.daysAfterInitiation, 7);
      }
    });
  });

  describe("backend secret", () => {
    it("stores helium/backend/<env>, encrypted with the region key, with REDIS_* taken from the cache", async () => {
      for (const [built, secretName] of [
        [prod, "helium/backend/production"],
        [stg, "helium/backend/staging"],
      ] as const) {
        const secret = named(built, "aws:secretsmanager/secret:Secret", "backend-secret");
        assert.equal(secret.inputs.name, secretName);
        assert.equal(secret.inputs.kmsKeyId, await valueOf(built.component.kmsKeyArn));
        const version = named(built, SECRET_VERSION, "backend-secret-value");
        assert.equal(version.inputs.secretId, idOf(secret));
        const values = secretValues(built);
        const redis = named(built, REDIS, "redis");
        assert.equal(values.REDIS_HOST, redis.outputs.primaryEndpointAddress);
        assert.match(values.REDIS_HOST, new RegExp(`\\.${String(redis.inputs.replicationGroupId)}\\.`));
        assert.equal(values.REDIS_PORT, String(REDIS_PORT));
        assert.equal(values.REDIS_AUTH_TOKEN, revealSecret(redis.inputs.authToken).value);
        assert.equal(await valueOf(built.component.secretArn), arnOf(secret));
        assert.equal(await valueOf(built.component.secretVersionId), version.outputs.versionId);
        assert.equal(await valueOf(built.component.secretVersion.urn), version.urn);
      }
    });

    it("adds the configured app secrets' values and declares every key the secret holds", () => {
      const values = secretValues(prod);
      assert.equal(values.DJANGO_SECRET_KEY, "from-config");
      assert.deepEqual(Object.keys(values).sort(), [...PLATFORM_SECRET_KEYS, "DJANGO_SECRET_KEY"].sort());
      assert.deepEqual(prod.component.secretKeys, [...PLATFORM_SECRET_KEYS, "DJANGO_SECRET_KEY"]);
      assert.deepEqual(Object.keys(secretValues(stg)).sort(), [...PLATFORM_SECRET_KEYS].sort());
      assert.deepEqual(stg.component.secretKeys, [...PLATFORM_SECRET_KEYS]);
    });

    it("keeps a deleted secret's name for 30 days in production and frees it at once elsewhere", () => {
      assert.equal(named(prod, "aws:secretsmanager/secret:Secret", "backend-secret").inputs.recoveryWindowInDays, 30);
      assert.equal(named(stg, "aws:secretsmanager/secret:Secret", "backend-secret").inputs.recoveryWindowInDays, 0);
    });
  });

  it("protects the bucket, cache, secret and queues in production only", () => {
    const stateful: Array<[string, string]> = [
      ["helium:index:SecureBucket", "files"],
      ["aws:s3/bucket:Bucket", "files"],
      [REDIS, "redis"],
      ["aws:secretsmanager/secret:Secret", "backend-secret"],
      ["aws:sqs/queue:Queue", "queue"],
      ["aws:sqs/queue:Queue", "dlq"],
    ];
    for (const [type, suffix] of stateful) {
      assert.equal(named(prod, type, suffix).protect, true, `production ${suffix}`);
      assert.equal(named(stg, type, suffix).protect, false, `staging ${suffix}`);
    }
  });
});
