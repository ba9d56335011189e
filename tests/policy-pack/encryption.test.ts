import assert from "node:assert/strict";
import {
  albDropInvalidHeaders,
  albHttpsOnly,
  ecrEncryption,
  ecrImmutableTags,
  ecrScanOnPush,
  elasticacheEncryption,
  logGroupKms,
  logGroupRetention,
  rdsEncryption,
  s3BucketProtection,
  secretKms,
  snsEncryption,
  sqsEncryption,
} from "../../policy-pack/policies/encryption";
import { UNKNOWN_ARRAY, UNKNOWN_STRING, found, res, run } from "./fixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

const TLS_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});
const ALL_BLOCKED = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

function bucketSet(
  name: string,
  link: "name" | "dependency",
  overrides: { pab?: Record<string, unknown>; policy?: string; sse?: boolean } = {},
) {
  const bucket = res(BUCKET, name, link === "name" ? { bucket: name } : {});
  const attach = (type: string, suffix: string, inputs: Record<string, unknown>) =>
    link === "name"
      ? res(type, `${name}-${suffix}`, { bucket: name, ...inputs })
      : res(type, `${name}-${suffix}`, { bucket: `${name}-id`, ...inputs }, { deps: { bucket: [bucket] } });
  const parts = [
    bucket,
    attach(PAB, "pab", overrides.pab ?? ALL_BLOCKED),
    attach(BUCKET_POLICY, "policy", { policy: overrides.policy ?? TLS_ONLY }),
  ];
  if (overrides.sse !== false)
    parts.push(attach(SSE, "sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }));
  return parts;
}

const messages = (report: ReturnType<typeof run>) => report.violations.map((v) => `${v.resourceName}: ${v.message}`);

describe("encryption policies", () => {
  describe("helium-s3-bucket-protection", () => {
    it("passes buckets whose SSE, public access block and TLS-only policy are linked by name or by dependency", () => {
      assert.deepEqual(
        run(s3BucketProtection, [...bucketSet("by-name", "name"), ...bucketSet("by-dep", "dependency")]).violations,
        [],
      );
    });

    it("names each missing protection on the bucket", () => {
      const report = run(s3BucketProtection, [
        ...bucketSet("no-sse", "dependency", { sse: false }),
        ...bucketSet("half-blocked", "dependency", { pab: { ...ALL_BLOCKED, restrictPublicBuckets: false } }),
        ...bucketSet("plain-http", "name", {
          policy: JSON.stringify({
            Statement: [
              { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" },
            ],
          }),
        }),
        res(BUCKET, "bare", { bucket: "bare" }),
      ]);
      assert.deepEqual(messages(report), [
        "no-sse: the bucket has no BucketServerSideEncryptionConfiguration with a default sseAlgorithm",
        "half-blocked: the bucket's public access block half-blocked-pab does not set restrictPublicBuckets to true",
        "plain-http: no bucket policy denies requests where aws:SecureTransport is false",
        "bare: the bucket has no BucketServerSideEncryptionConfiguration with a default sseAlgorithm",
        "bare: the bucket has no BucketPublicAccessBlock",
        "bare: no bucket policy denies requests where aws:SecureTransport is false",
      ]);
      assert.ok(
        report.violations.every(
          (v) => v.policy === "helium-s3-bucket-protection" && v.enforcementLevel === "mandatory",
        ),
      );
    });
  });

  const cases: Array<{
    policy: Parameters<typeof run>[0];
    type: string;
    good: Record<string, unknown>;
    bad: Record<string, unknown>;
    message: RegExp;
    level?: "advisory";
  }> = [
    {
      policy: sqsEncryption,
      type: "aws:sqs/queue:Queue",
      good: { sqsManagedSseEnabled: true },
      bad: {},
      message: /neither sqsManagedSseEnabled/,
    },
    {
      policy: snsEncryption,
      type: "aws:sns/topic:Topic",
      good: { kmsMasterKeyId: "alias/aws/sns" },
      bad: {},
      message: /kmsMasterKeyId is not set/,
    },
    {
      policy: elasticacheEncryption,
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      good: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, authToken: "s3cr3t-token-value" },
      bad: { atRestEncryptionEnabled: true, transitEncryptionEnabled: false, authToken: "s3cr3t-token-value" },
      message: /^transitEncryptionEnabled is not true$/,
    },
    {
      policy: elasticacheEncryption,
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      good: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, userGroupIds: ["ug"] },
      bad: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true },
      message: /neither authToken nor userGroupIds/,
    },
    {
      policy: elasticacheEncryption,
      type: "aws:elasticache/cluster:Cluster",
      good: { replicationGroupId: "rg" },
      bad: { engine: "redis" },
      message: /standalone cache cluster/,
    },
    {
      policy: rdsEncryption,
      type: "aws:rds/instance:Instance",
      good: { storageEncrypted: true },
      bad: {},
      message: /storageEncrypted is not true/,
    },
    {
      policy: rdsEncryption,
      type: "aws:rds/cluster:Cluster",
      good: { storageEncrypted: true },
      bad: { storageEncrypted: false },
      message: /storageEncrypted is not true/,
    },
    {
      policy: ecrEncryption,
      type: "aws:ecr/repository:Repository",
      good: { encryptionConfigurations: [{ encryptionType: "KMS" }] },
      bad: {},
      message: /encryptionType KMS or AES256/,
    },
    {
      policy: ecrScanOnPush,
      type: "aws:ecr/repository:Repository",
      good: { imageScanningConfiguration: { scanOnPush: true } },
      bad: { imageScanningConfiguration: { scanOnPush: false } },
      message: /scanOnPush is not true/,
    },
    {
      policy: ecrImmutableTags,
      type: "aws:ecr/repository:Repository",
      good: { imageTagMutability: "IMMUTABLE" },
      bad: {},
      message: /MUTABLE \(the default\); set IMMUTABLE/,
    },
    {
      policy: albHttpsOnly,
      type: "aws:lb/listener:Listener",
      good: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
      bad: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" },
      message: /ELBSecurityPolicy-2016-08 is not a TLS 1.2\+ policy/,
    },
    {
      policy: albHttpsOnly,
      type: "aws:lb/listener:Listener",
      good: {
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      bad: { protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
      message: /HTTP listener may only redirect to HTTPS/,
    },
    {
      policy: albDropInvalidHeaders,
      type: "aws:lb/loadBalancer:LoadBalancer",
      good: { dropInvalidHeaderFields: true },
      bad: {},
      message: /dropInvalidHeaderFields is not true/,
    },
    {
      policy: albDropInvalidHeaders,
      type: "aws:lb/loadBalancer:LoadBalancer",
      good: { loadBalancerType: "network" },
      bad: { loadBalancerType: "application", dropInvalidHeaderFields: false },
      message: /dropInvalidHeaderFields/,
    },
    {
      policy: logGroupRetention,
      type: "aws:cloudwatch/logGroup:LogGroup",
      good: { retentionInDays: 30 },
      bad: { retentionInDays: 0 },
      message: /retentionInDays is not set/,
    },
    {
      policy: logGroupKms,
      type: "aws:cloudwatch/logGroup:LogGroup",
      good: { kmsKeyId: "arn:aws:kms:ap-south-1:1:key/k" },
      bad: {},
      message: /kmsKeyId is not set/,
      level: "advisory",
    },
    {
      policy: secretKms,
      type: "aws:secretsmanager/secret:Secret",
      good: { kmsKeyId: "alias/helium" },
      bad: {},
      message: /kmsKeyId is not set/,
      level: "advisory",
    },
  ];

  for (const c of cases) {
    it(`${c.policy.name}: passes ${JSON.stringify(c.good)}, flags ${JSON.stringify(c.bad)}`, () => {
      const report = run(c.policy, [
        res(c.type, "good", c.good),
        res(c.type, "bad", c.bad),
        res("aws:ec2/vpc:Vpc", "unrelated", {}),
      ]);
      assert.deepEqual(found(report), [
        { policy: c.policy.name, enforcementLevel: c.level ?? "mandatory", resourceName: "bad" },
      ]);
      assert.match(report.violations[0]?.message ?? "", c.message);
      assert.equal(report.violations[0]?.resourceType, c.type);
    });
  }

  describe("at a first preview: a value that is set but unknown counts as set, an absent one does not", () => {
    const unknownCases: Array<{
      policy: Parameters<typeof run>[0];
      type: string;
      set: Record<string, unknown>;
      absent: Record<string, unknown>;
      message: RegExp;
      level?: "advisory";
    }> = [
      {
        policy: sqsEncryption,
        type: "aws:sqs/queue:Queue",
        set: { kmsMasterKeyId: UNKNOWN_STRING },
        absent: { sqsManagedSseEnabled: false },
        message: /neither sqsManagedSseEnabled: true nor kmsMasterKeyId is set/,
      },
      {
        policy: snsEncryption,
        type: "aws:sns/topic:Topic",
        set: { kmsMasterKeyId: UNKNOWN_STRING },
        absent: { name: "alerts" },
        message: /kmsMasterKeyId is not set/,
      },
      {
        policy: elasticacheEncryption,
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        set: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, authToken: UNKNOWN_STRING },
        absent: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true },
        message: /neither authToken nor userGroupIds is set/,
      },
      {
        policy: elasticacheEncryption,
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        set: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, userGroupIds: UNKNOWN_ARRAY },
        absent: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, userGroupIds: [] },
        message: /neither authToken nor userGroupIds is set/,
      },
      {
        policy: elasticacheEncryption,
        type: "aws:elasticache/cluster:Cluster",
        set: { replicationGroupId: UNKNOWN_STRING },
        absent: { engine: "redis" },
        message: /standalone cache cluster/,
      },
      {
        policy: logGroupKms,
        type: "aws:cloudwatch/logGroup:LogGroup",
        set: { kmsKeyId: UNKNOWN_STRING },
        absent: { retentionInDays: 30 },
        message: /kmsKeyId is not set/,
        level: "advisory",
      },
      {
        policy: secretKms,
        type: "aws:secretsmanager/secret:Secret",
        set: { kmsKeyId: UNKNOWN_STRING },
        absent: { name: "helium/backend" },
        message: /kmsKeyId is not set/,
        level: "advisory",
      },
    ];
    for (const c of unknownCases) {
      it(`${c.policy.name}: ${Object.keys(c.set).join(", ")} unknown passes; absent fails; nothing skipped`, () => {
        const report = run(c.policy, [res(c.type, "unknown", c.set), res(c.type, "absent", c.absent)]);
        assert.deepEqual(report.skipped, [], "the check runs at preview");
        assert.deepEqual(found(report), [
          { policy: c.policy.name, enforcementLevel: c.level ?? "mandatory", resourceName: "absent" },
        ]);
        assert.match(report.violations[0]?.message ?? "", c.message);
      });
    }
  });
});
