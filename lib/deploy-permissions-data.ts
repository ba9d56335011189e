/**
 * Data stores of a deploy role: queues, cache, backend secret and buckets by their fixed names
 * (lib/naming.ts), and the per-region KMS keys (generated ids: scoped by tags).
 */
import type { PolicyStatement } from "./iam";
import { bucketPrefixOf } from "./naming";
import { environmentNames, regionNames } from "./physical-names";
import {
  type DeployScope,
  allow,
  claimsUntagged,
  createsTagged,
  inRegions,
  perRegion,
  regionalArn,
  regionalName,
  taggedFor,
} from "./deploy-permissions-scope";

/** Queues, cache, secret and buckets of the environment. */
export function dataStoreStatements(scope: DeployScope): PolicyStatement[] {
  const env = scope.environment;
  const redis = (region: string) => regionalName(env, region, "redis");
  return [
    allow(
      "QueuesByName",
      [
        "sqs:CreateQueue",
        "sqs:DeleteQueue",
        "sqs:SetQueueAttributes",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:TagQueue",
        "sqs:UntagQueue",
        "sqs:ListQueueTags",
      ],
      ["work", "work-dlq"].flatMap((thing) => perRegion(scope, "sqs", (region) => regionalName(env, region, thing))),
      inRegions(scope),
    ),
    allow(
      "CacheByName",
      [
        "elasticache:CreateReplicationGroup",
        "elasticache:ModifyReplicationGroup",
        "elasticache:DeleteReplicationGroup",
        "elasticache:DescribeReplicationGroups",
        "elasticache:CreateCacheSubnetGroup",
        "elasticache:ModifyCacheSubnetGroup",
        "elasticache:DeleteCacheSubnetGroup",
        "elasticache:DescribeCacheSubnetGroups",
        "elasticache:DescribeCacheClusters",
        "elasticache:AddTagsToResource",
        "elasticache:RemoveTagsFromResource",
        "elasticache:ListTagsForResource",
      ],
      [
        ...perRegion(scope, "elasticache", (region) => `replicationgroup:${redis(region)}`),
        // Member clusters are <group>-001, -002, …; the final snapshot is <group>-final.
        ...perRegion(scope, "elasticache", (region) => `cluster:${redis(region)}-*`),
        ...perRegion(scope, "elasticache", (region) => `snapshot:${redis(region)}-final`),
        ...perRegion(scope, "elasticache", (region) => `subnetgroup:${regionalName(env, region, "redis-subnets")}`),
        // The engine's default parameter group (default.valkey8, …): the program sets none of its own.
        regionalArn(scope, "elasticache", "parametergroup:default.*"),
      ],
      inRegions(scope),
    ),
    allow(
      "BackendSecretByName",
      [
        "secretsmanager:CreateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:DescribeSecret",
        "secretsmanager:PutSecretValue",
        "secretsmanager:GetSecretValue",
        "secretsmanager:UpdateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:GetResourcePolicy",
      ],
      // Secrets Manager appends "-" and six random characters to the name in the ARN.
      regionalArn(scope, "secretsmanager", `secret:helium/backend/${env}-*`),
      inRegions(scope),
    ),
    allow(
      "BucketsByName",
      [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:GetBucketAcl",
        "s3:GetBucketTagging",
        "s3:PutBucketTagging",
        "s3:GetBucketVersioning",
        "s3:PutBucketVersioning",
        "s3:GetEncryptionConfiguration",
        "s3:PutEncryptionConfiguration",
        "s3:GetBucketPublicAccessBlock",
        "s3:PutBucketPublicAccessBlock",
        "s3:GetBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:GetBucketCORS",
        "s3:PutBucketCORS",
        "s3:GetLifecycleConfiguration",
        "s3:PutLifecycleConfiguration",
      ],
      scope.regions.flatMap((region) =>
        [
          regionNames(env, region).filesBucket,
          regionNames(env, region).albLogsBucket,
          // GlobalEdge's flow-log bucket (in the environment's first region).
          environmentNames(env, region).acceleratorFlowLogsBucket,
          // Outside production the names are generated from these (SecureBucket `generatedName`).
        ].flatMap((name) => [`arn:aws:s3:::${name}`, `arn:aws:s3:::${bucketPrefixOf(name)}*`]),
      ),
    ),
  ];
}

/** The environment's KMS keys (one per region, tagged) and their aliases (by name). */
export function keyStatements(scope: DeployScope): PolicyStatement[] {
  const keys = regionalArn(scope, "kms", "key/*");
  return [
    allow(
      "RegionKeysTagged",
      [
        "kms:DescribeKey",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:EnableKeyRotation",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:ListResourceTags",
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:UpdateAlias",
        // For the services that encrypt with the key on the program's behalf (ElastiCache, Secrets Manager).
        "kms:CreateGrant",
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:GenerateDataKey",
      ],
      keys,
      taggedFor(scope),
    ),
    // CreateKey with tags needs TagResource on the new, still untagged key.
    allow("RegionKeyTagOnCreate", ["kms:TagResource"], keys, claimsUntagged(scope)),
    // An alias call is authorized on the alias and on the key it points to (the statement above).
    allow(
      "RegionKeyAliasesByName",
      ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      perRegion(scope, "kms", (region) => `alias/${regionalName(scope.environment, region, "key")}`),
      inRegions(scope),
    ),
    allow("KeyCreationHasNoResourceScope", ["kms:CreateKey"], "*", createsTagged(scope)),
    allow("KeyListingHasNoResourceScope", ["kms:ListAliases"], "*", inRegions(scope)),
  ];
}
