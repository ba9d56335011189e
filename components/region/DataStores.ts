/**
 * RegionDataStores: the state a region's services share. The SQS work queue and its DLQ (SSE, TLS-only,
 * redrive), the ElastiCache replication group (Valkey/Redis with AUTH, TLS and KMS, in the data subnets),
 * the files bucket (versioned, SSE-KMS, private, TLS-only, CORS for the app's origins) and the backend
 * secret `helium/backend/<env>`, whose REDIS_* keys are filled from the cache (and, with a database, DB_HOST,
 * DB_PORT and DB_NAME from it) so no one copies them by hand.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { denyInsecureTransport, policyDocument } from "../../lib/iam";
import type { RegionModel } from "../../model/types/region";
import { childOf } from "../aliases";
import { SecureBucket } from "../SecureBucket";

/** Days before a non-current version of a file is deleted. */
export const NONCURRENT_VERSION_DAYS = 30;

export interface RegionDataStoresArgs {
  readonly model: RegionModel;
  /** Prefix of every child's logical name (the HeliumRegion's name), so URNs stay as they were. */
  readonly namePrefix: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly dataSubnetIds: pulumi.Input<string>[];
  readonly cacheSecurityGroupId: pulumi.Input<string>;
  /** Values of the app's own secret keys (model.secret.keys beyond the platform's), each a secret. Defaults to none. */
  readonly appSecretValues?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Where the region's database is, written as DB_HOST, DB_PORT and DB_NAME. Defaults to none (no database). */
  readonly database?: {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly name: string;
  };
}

export class RegionDataStores extends pulumi.ComponentResource {
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly dlqArn: pulumi.Output<string>;
  readonly dlqName: pulumi.Output<string>;
  readonly redisReplicationGroupId: pulumi.Output<string>;
  readonly redisPrimaryEndpoint: pulumi.Output<string>;
  readonly filesBucketName: pulumi.Output<string>;
  readonly filesBucketArn: pulumi.Output<string>;
  readonly secretArn: pulumi.Output<string>;
  /** Version id of the secret's current value: task definitions name it, so a new value rolls the services. */
  readonly secretVersionId: pulumi.Output<string>;
  /** The secret's current value; services depend on it so no task starts before the secret is filled. */
  readonly secretVersion: aws.secretsmanager.SecretVersion;

  constructor(name: string, args: RegionDataStoresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:region:DataStores", name, {}, opts);
    const { model, namePrefix: n } = args;
    const { region, environment: env } = model;
    const child = childOf(this, opts?.parent);
    const stateful = childOf(this, opts?.parent, { protect: model.protect });

    // ── Work queue and DLQ ────────────────────────────────────────────────────────────────────────────
    const dlq = new aws.sqs.Queue(
      `${n}-dlq`,
      {
        region,
        name: model.queue.dlqName,
        messageRetentionSeconds: model.queue.dlqRetentionSeconds,
        sqsManagedSseEnabled: true,
      },
      stateful,
    );
    const queue = new aws.sqs.Queue(
      `${n}-queue`,
      {
        region,
        name: model.queue.name,
        visibilityTimeoutSeconds: model.queue.visibilityTimeoutSeconds,
        messageRetentionSeconds: model.queue.messageRetentionSeconds,
        receiveWaitTimeSeconds: 20, // long polling: fewer empty receives, lower cost
        sqsManagedSseEnabled: true,
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: model.queue.maxReceiveCount,
        }),
      },
      stateful,
    );
    new aws.sqs.RedriveAllowPolicy(
      `${n}-dlq-redrive-allow`,
      {
        region,
        queueUrl: dlq.url,
        redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
      },
      child,
    );
    for (const [label, q] of [
      ["queue", queue],
      ["dlq", dlq],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${n}-${label}-tls-only`,
        { region, queueUrl: q.url, policy: policyDocument([denyInsecureTransport("sqs:*", [q.arn])]) },
        child,
      );
    }
    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.queueName = queue.name;
    this.dlqUrl = dlq.url;
    this.dlqArn = dlq.arn;
    this.dlqName = dlq.name;

    // ── Cache ─────────────────────────────────────────────────────────────────────────────────────────
    const { cache } = model;
    const subnets = new aws.elasticache.SubnetGroup(
      `${n}-redis-subnets`,
      {
        region,
        name: cache.subnetGroupName,
        description: `Helium ${env} ${region} data subnets`,
        subnetIds: args.dataSubnetIds,
      },
      child,
    );
    // AUTH token: generated, stored only in Pulumi state (encrypted) and the backend secret.
    const authToken = new random.RandomPassword(`${n}-redis-auth`, { length: 64, special: false }, child);
    const replicas = cache.numCacheClusters - 1;
    const redis = new aws.elasticache.ReplicationGroup(
      `${n}-redis`,
      {
        region,
        replicationGroupId: cache.replicationGroupId,
        description: `Helium ${env} cache in ${region}`,
        engine: cache.engine,
        engineVersion: cache.engineVersion,
        nodeType: cache.nodeType,
        numCacheClusters: cache.numCacheClusters,
        automaticFailoverEnabled: replicas >= 1,
        multiAzEnabled: replicas >= 1,
        port: cache.port,
        subnetGroupName: subnets.name,
        securityGroupIds: [args.cacheSecurityGroupId],
        atRestEncryptionEnabled: true,
        kmsKeyId: args.kmsKeyArn,
        transitEncryptionEnabled: true,
        authToken: authToken.result,
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: cache.snapshotRetentionDays,
        ...(cache.finalSnapshotIdentifier !== undefined
          ? { finalSnapshotIdentifier: cache.finalSnapshotIdentifier }
          : {}),
      },
      stateful,
    );
    this.redisReplicationGroupId = redis.id;
    this.redisPrimaryEndpoint = redis.primaryEndpointAddress;

    // ── Files bucket ──────────────────────────────────────────────────────────────────────────────────
    const files = new SecureBucket(
      `${n}-files`,
      {
        region,
        bucketName: model.filesBucket.name,
        generatedName: model.filesBucket.generatedName,
        kmsKeyArn: args.kmsKeyArn,
        forceDestroy: !model.protect,
      },
      stateful,
    );
    new aws.s3.BucketVersioning(
      `${n}-files-versioning`,
      { region, bucket: files.bucketName, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketCorsConfiguration(
      `${n}-files-cors`,
      {
        region,
        bucket: files.bucketName,
        // The seed's CORS rule, with origins from config.
        corsRules: [
          {
            allowedHeaders: ["*"],
            allowedMethods: ["GET", "PUT", "POST", "DELETE", "HEAD"],
            allowedOrigins: [...model.filesBucket.corsOrigins],
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3000,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${n}-files-lifecycle`,
      {
        region,
        bucket: files.bucketName,
        rules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
          },
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      child,
    );
    this.filesBucketName = files.bucketName;
    this.filesBucketArn = files.arn;

    // ── Backend secret ────────────────────────────────────────────────────────────────────────────────
    const secret = new aws.secretsmanager.Secret(
      `${n}-backend-secret`,
      {
        region,
        name: model.secret.name,
        description: `Helium ${env} backend configuration in ${region}. REDIS_* keys are managed by Pulumi.`,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: model.secret.recoveryWindowInDays,
      },
      stateful,
    );
    // Only values are secret: the key names stay readable in previews.
    const value = pulumi.secret(
      pulumi.jsonStringify({
        ...(args.appSecretValues ?? {}),
        REDIS_HOST: redis.primaryEndpointAddress,
        REDIS_PORT: String(cache.port),
        REDIS_AUTH_TOKEN: authToken.result,
        ...(args.database !== undefined
          ? { DB_HOST: args.database.host, DB_PORT: String(args.database.port), DB_NAME: args.database.name }
          : {}),
      }),
    );
    this.secretVersion = new aws.secretsmanager.SecretVersion(
      `${n}-backend-secret-value`,
      { region, secretId: secret.id, secretString: value },
      child,
    );
    this.secretArn = secret.arn;
    this.secretVersionId = this.secretVersion.versionId;

    this.registerOutputs({
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      redisPrimaryEndpoint: this.redisPrimaryEndpoint,
      filesBucketName: this.filesBucketName,
      secretArn: this.secretArn,
    });
  }
}
