/**
 * Encryption at rest and in transit: S3, SQS, SNS, ElastiCache, RDS, ECR, ALB listeners, logs, secrets.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../lib/define";
import { parseStatements, conditionValues } from "../lib/iam-document";
import { UNKNOWN, knownString, readArray, readPath, textOf, type ResourceNode } from "../lib/values";

export const S3_BUCKET = "aws:s3/bucket:Bucket";
export const S3_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
export const S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const S3_BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
export const SQS_QUEUE = "aws:sqs/queue:Queue";
export const SNS_TOPIC = "aws:sns/topic:Topic";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const LB_LISTENER = "aws:lb/listener:Listener";
export const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const SECRET = "aws:secretsmanager/secret:Secret";

const PUBLIC_ACCESS_BLOCK_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

/** The bucket-side resources that name `bucket` through their `bucket` property (by name/id or by dependency). */
function attachedTo(bucket: ResourceNode, candidates: readonly ResourceNode[]): ResourceNode[] {
  const names = new Set(
    [knownString(readPath(bucket.props, "bucket")), knownString(readPath(bucket.props, "id"))].filter(
      (n): n is string => n !== undefined,
    ),
  );
  return candidates.filter((c) => {
    if ((c.propertyDependencies["bucket"] ?? []).some((d) => d.urn === bucket.urn)) return true;
    const name = knownString(readPath(c.props, "bucket"));
    return name !== undefined && names.has(name);
  });
}

/** True when the document denies every action when `aws:SecureTransport` is false. */
export function deniesInsecureTransport(document: unknown): boolean {
  return parseStatements(document).some(
    (s) =>
      s.effect === "Deny" &&
      (s.actions.includes("s3:*") || s.actions.includes("*")) &&
      conditionValues(s, ["Bool", "BoolIfExists"], "aws:SecureTransport").some((v) => v.toLowerCase() === "false"),
  );
}

export const s3BucketProtection: StackValidationPolicy = stackPolicy({
  name: "helium-s3-bucket-protection",
  description:
    "Every S3 bucket has default encryption, a public access block with all four settings true, and a policy that denies requests without TLS.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add BucketServerSideEncryptionConfiguration, BucketPublicAccessBlock (all four flags) and a BucketPolicy denying s3:* when aws:SecureTransport is false.",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    const sse = nodes.filter((n) => n.type === S3_SSE);
    const blocks = nodes.filter((n) => n.type === S3_PUBLIC_ACCESS_BLOCK);
    const policies = nodes.filter((n) => n.type === S3_BUCKET_POLICY);
    for (const bucket of nodes.filter((n) => n.type === S3_BUCKET)) {
      const encryption = attachedTo(bucket, sse).filter((c) => {
        const rules = readArray(c.props, "rules");
        return (
          rules === UNKNOWN ||
          (Array.isArray(rules) &&
            rules.some(
              (r) => knownString(readPath(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")) !== undefined,
            ))
        );
      });
      if (encryption.length === 0)
        report(bucket.urn, "the bucket has no BucketServerSideEncryptionConfiguration with a default sseAlgorithm");
      const attachedBlocks = attachedTo(bucket, blocks);
      if (attachedBlocks.length === 0) report(bucket.urn, "the bucket has no BucketPublicAccessBlock");
      for (const block of attachedBlocks) {
        const off = PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => readPath(block.props, flag) !== true);
        if (off.length > 0)
          report(bucket.urn, `the bucket's public access block ${block.name} does not set ${off.join(", ")} to true`);
      }
      const tlsOnly = attachedTo(bucket, policies).some((p) => {
        const document = readPath(p.props, "policy");
        return document === UNKNOWN || deniesInsecureTransport(document);
      });
      if (!tlsOnly) report(bucket.urn, "no bucket policy denies requests where aws:SecureTransport is false");
    }
  },
});

export const sqsEncryption: ResourceValidationPolicy = resourcePolicy({
  name: "helium-sqs-encryption",
  description: "SQS queues are encrypted at rest (SSE-SQS or KMS).",
  enforcementLevel: "mandatory",
  resourceTypes: [SQS_QUEUE],
  validate: (args, report) => {
    if (args.props["sqsManagedSseEnabled"] !== true && args.props["kmsMasterKeyId"] === undefined) {
      report("neither sqsManagedSseEnabled: true nor kmsMasterKeyId is set");
    }
  },
});

export const snsEncryption: ResourceValidationPolicy = resourcePolicy({
  name: "helium-sns-encryption",
  description: "SNS topics are encrypted with KMS.",
  enforcementLevel: "mandatory",
  resourceTypes: [SNS_TOPIC],
  validate: (args, report) => {
    if (args.props["kmsMasterKeyId"] === undefined) report("kmsMasterKeyId is not set");
  },
});

export const elasticacheEncryption: ResourceValidationPolicy = resourcePolicy({
  name: "helium-elasticache-encryption",
  description:
    "ElastiCache replication groups encrypt at rest and in transit and require AUTH; standalone clusters are not used.",
  enforcementLevel: "mandatory",
  resourceTypes: [REPLICATION_GROUP, CACHE_CLUSTER],
  validate: (args, report) => {
    const props = args.props;
    if (args.type === CACHE_CLUSTER) {
      if (props["replicationGroupId"] === undefined)
        report("a standalone cache cluster cannot encrypt in transit with AUTH; use a ReplicationGroup");
      return;
    }
    if (props["atRestEncryptionEnabled"] !== true) report("atRestEncryptionEnabled is not true");
    if (props["transitEncryptionEnabled"] !== true) report("transitEncryptionEnabled is not true");
    const userGroups: unknown = props["userGroupIds"];
    const hasRbac = Array.isArray(userGroups) && userGroups.length > 0;
    if (props["authToken"] === undefined && !hasRbac)
      report("neither authToken nor userGroupIds is set: clients must authenticate (AUTH)");
  },
});

export const rdsEncryption: ResourceValidationPolicy = resourcePolicy({
  name: "helium-rds-encryption",
  description: "RDS instances and clusters encrypt storage.",
  enforcementLevel: "mandatory",
  resourceTypes: [RDS_INSTANCE, RDS_CLUSTER],
  validate: (args, report) => {
    if (args.props["storageEncrypted"] !== true) report("storageEncrypted is not true");
  },
});

export const ecrEncryption: ResourceValidationPolicy = resourcePolicy({
  name: "helium-ecr-encryption",
  description: "ECR repositories declare their encryption (KMS or AES256) explicitly.",
  enforcementLevel: "mandatory",
  resourceTypes: [ECR_REPOSITORY],
  validate: (args, report) => {
    const configs = readArray(args.props, "encryptionConfigurations");
    if (configs === UNKNOWN) return;
    const types = (configs ?? []).map((c) => readPath(c, "encryptionType"));
    if (types.length === 0 || !types.every((t) => t === "KMS" || t === "AES256"))
      report("encryptionConfigurations must set encryptionType KMS or AES256");
  },
});

export const ecrScanOnPush: ResourceValidationPolicy = resourcePolicy({
  name: "helium-ecr-scan-on-push",
  description: "ECR repositories scan images on push.",
  enforcementLevel: "mandatory",
  resourceTypes: [ECR_REPOSITORY],
  validate: (args, report) => {
    if (readPath(args.props, "imageScanningConfiguration", "scanOnPush") !== true)
      report("imageScanningConfiguration.scanOnPush is not true");
  },
});

export const ecrImmutableTags: ResourceValidationPolicy = resourcePolicy({
  name: "helium-ecr-immutable-tags",
  description: "ECR repositories have immutable image tags, so a promoted tag always means the same image.",
  enforcementLevel: "mandatory",
  resourceTypes: [ECR_REPOSITORY],
  validate: (args, report) => {
    const mutability: unknown = args.props["imageTagMutability"];
    if (mutability !== "IMMUTABLE")
      report(`imageTagMutability is ${textOf(mutability ?? "MUTABLE (the default)")}; set IMMUTABLE`);
  },
});

/** TLS 1.2+ ELB security policies: the TLS13-*, FS-1-2-* and TLS-1-2-* families. */
export function isModernTlsPolicy(policy: string): boolean {
  return /^ELBSecurityPolicy-(TLS13-1-[23]|FS-1-2|TLS-1-2)/.test(policy);
}

export const albHttpsOnly: ResourceValidationPolicy = resourcePolicy({
  name: "helium-alb-https-only",
  description: "Load balancer listeners serve HTTPS/TLS with a TLS 1.2+ policy; HTTP listeners only redirect to HTTPS.",
  enforcementLevel: "mandatory",
  resourceTypes: [LB_LISTENER],
  validate: (args, report) => {
    const protocol: unknown = args.props["protocol"];
    if (protocol === "HTTP") {
      const actions = readArray(args.props, "defaultActions");
      const list = actions === UNKNOWN || actions === undefined ? [] : actions;
      const redirectsToHttps = (a: unknown) =>
        readPath(a, "type") === "redirect" && readPath(a, "redirect", "protocol") === "HTTPS";
      if (list.length === 0 || !list.every(redirectsToHttps))
        report("an HTTP listener may only redirect to HTTPS (defaultActions of type redirect with protocol HTTPS)");
      return;
    }
    if (protocol === "HTTPS" || protocol === "TLS") {
      const sslPolicy: unknown = args.props["sslPolicy"];
      if (typeof sslPolicy !== "string" || !isModernTlsPolicy(sslPolicy)) {
        report(
          `sslPolicy ${textOf(sslPolicy ?? "unset (AWS default ELBSecurityPolicy-2016-08 allows TLS 1.0)")} is not a TLS 1.2+ policy; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06`,
        );
      }
      return;
    }
    if (protocol === "TCP" || protocol === "UDP" || protocol === "TCP_UDP") return; // NLB pass-through; TLS terminates behind it
    report(
      `protocol ${textOf(protocol ?? "unset")}: listeners must declare HTTPS or TLS (or HTTP that only redirects)`,
    );
  },
});

export const albDropInvalidHeaders: ResourceValidationPolicy = resourcePolicy({
  name: "helium-alb-drop-invalid-headers",
  description: "Application load balancers drop invalid HTTP header fields.",
  enforcementLevel: "mandatory",
  resourceTypes: [LOAD_BALANCER],
  validate: (args, report) => {
    const kind: unknown = args.props["loadBalancerType"] ?? "application";
    if (kind === "application" && args.props["dropInvalidHeaderFields"] !== true)
      report("dropInvalidHeaderFields is not true");
  },
});

export const logGroupRetention: ResourceValidationPolicy = resourcePolicy({
  name: "helium-log-group-retention",
  description: "CloudWatch log groups set a retention period.",
  enforcementLevel: "mandatory",
  resourceTypes: [LOG_GROUP],
  validate: (args, report) => {
    const days: unknown = args.props["retentionInDays"];
    if (typeof days !== "number" || days <= 0) report("retentionInDays is not set: logs would be kept forever");
  },
});

export const logGroupKms: ResourceValidationPolicy = resourcePolicy({
  name: "helium-log-group-kms",
  description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
  enforcementLevel: "advisory",
  resourceTypes: [LOG_GROUP],
  validate: (args, report) => {
    if (args.props["kmsKeyId"] === undefined) report("kmsKeyId is not set (logs use the service-owned key)");
  },
});

export const secretKms: ResourceValidationPolicy = resourcePolicy({
  name: "helium-secret-kms",
  description: "Secrets Manager secrets use a customer-managed KMS key.",
  enforcementLevel: "advisory",
  resourceTypes: [SECRET],
  validate: (args, report) => {
    if (args.props["kmsKeyId"] === undefined) report("kmsKeyId is not set (the secret uses aws/secretsmanager)");
  },
});

export const encryptionPolicies = [
  s3BucketProtection,
  sqsEncryption,
  snsEncryption,
  elasticacheEncryption,
  rdsEncryption,
  ecrEncryption,
  ecrScanOnPush,
  ecrImmutableTags,
  albHttpsOnly,
  albDropInvalidHeaders,
  logGroupRetention,
  logGroupKms,
  secretKms,
] as const;
