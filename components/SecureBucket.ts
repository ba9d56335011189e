/**
 * SecureBucket: an S3 bucket with the baseline every Helium bucket needs, so no bucket can be created
 * without it: server-side encryption, a public access block (all four settings), owner-enforced object
 * ownership (no ACLs) and a bucket policy that denies non-TLS requests. Callers add statements (e.g. log
 * delivery) through `policyStatements`; the TLS denial is always present. With `versioned`, S3 Versioning too.
 *
 * In aws v7 these are separate resources linked by the bucket name, which is why the policy pack checks
 * them as a stack policy.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "../lib/iam";
import { InputError } from "../lib/input-error";
import { awsNameError, bucketPrefixOf } from "../lib/naming";

export interface SecureBucketArgs {
  /** AWS region of the bucket. */
  readonly region: string;
  /** Globally unique bucket name, validated against S3's naming rules; with `generatedName`, the readable start of a generated one. */
  readonly bucketName: string;
  /**
   * Generate the physical name: `bucketName` (cut to fit) plus a unique suffix (S3 `bucketPrefix`). S3 may hold a
   * deleted bucket's name for days, so a stack that must be destroyed and re-created at once cannot reuse a fixed
   * name. Defaults to false.
   */
  readonly generatedName?: boolean;
  /**
   * Encryption: `AES256` (SSE-S3, the only option some log deliveries accept) or a KMS key ARN (SSE-KMS with
   * an S3 bucket key, which cuts KMS request costs). Defaults to `AES256`.
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Extra bucket-policy statements, given the bucket ARN. Defaults to none. */
  readonly policyStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
  /** Allow `pulumi destroy` to delete a non-empty bucket. Defaults to false. */
  readonly forceDestroy?: boolean;
  /**
   * Turn on S3 Versioning (a `BucketVersioning` child, {@link SecureBucket.versioning}), so an overwritten or
   * deleted object stays recoverable. The caller's lifecycle configuration (S3 keeps one per bucket) must then
   * expire noncurrent versions, e.g. with {@link expireNoncurrentVersions}; the policy pack's
   * helium-s3-versioning checks both. Defaults to false: a caller that manages versioning itself (the files
   * bucket) keeps doing so.
   */
  readonly versioned?: boolean;
}

/** Days a log bucket keeps an overwritten or deleted object version. */
export const LOG_NONCURRENT_VERSION_DAYS = 30;

/**
 * Lifecycle rules for a versioned bucket: noncurrent versions expire after `days`, and a delete marker with
 * no version left behind is removed (S3 does that itself only where a rule expires current versions).
 */
export function expireNoncurrentVersions(
  days: number = LOG_NONCURRENT_VERSION_DAYS,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: days },
    },
    {
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: {},
      expiration: { expiredObjectDeleteMarker: true },
    },
  ];
}

export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** The bucket policy; depend on it before a service (ALB, log delivery) writes to the bucket. */
  readonly policy: aws.s3.BucketPolicy;
  /** S3 Versioning, with `versioned`; a lifecycle configuration with noncurrent rules depends on it. */
  readonly versioning?: aws.s3.BucketVersioning;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const nameError = awsNameError("s3Bucket", args.bucketName);
    if (nameError !== undefined) {
      throw new InputError(`SecureBucket ${name}`, [{ key: "bucketName", value: args.bucketName, allowed: nameError }]);
    }
    super("helium:index:SecureBucket", name, {}, opts);
    const { region } = args;
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      name,
      {
        region,
        ...(args.generatedName === true
          ? { bucketPrefix: bucketPrefixOf(args.bucketName) }
          : { bucket: args.bucketName }),
        forceDestroy: args.forceDestroy ?? false,
      },
      child,
    );
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;

    const kms = args.kmsKeyArn !== undefined;
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        region,
        bucket: this.bucket.bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: kms
              ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }
              : { sseAlgorithm: "AES256" },
            bucketKeyEnabled: kms,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        region,
        bucket: this.bucket.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      {
        region,
        bucket: this.bucket.bucket,
        rule: { objectOwnership: "BucketOwnerEnforced" },
      },
      child,
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        region,
        bucket: this.bucket.bucket,
        policy: policyDocument([
          ...(args.policyStatements?.(this.bucket.arn) ?? []),
          denyInsecureTransport("s3:*", [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`]),
        ]),
      },
      child,
    );
    if (args.versioned === true) {
      this.versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { region, bucket: this.bucket.bucket, versioningConfiguration: { status: "Enabled" } },
        child,
      );
    }

    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
