import { descendantsOf, policyDocument, recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket, type SecureBucketArgs } from "../../components/SecureBucket";
import { InputError } from "../../lib/input-error";
import { MAX_BUCKET_PREFIX, bucketPrefixOf } from "../../lib/naming";
import type { RecordedResource } from "../../offline/types";

const COMPONENT = "helium:index:SecureBucket";
const KMS_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

interface Built {
  readonly component: SecureBucket;
  readonly record: RecordedResource;
  readonly children: RecordedResource[];
}

async function build(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions): Promise<Built> {
  const component = new SecureBucket(name, args, opts);
  await settle();
  const record = recorder.resources.find((r) => r.type === COMPONENT && r.name === name);
  assert.ok(record, `component ${name} was not recorded`);
  return { component, record, children: descendantsOf(record.urn) };
}

function childOf(built: Built, type: string): RecordedResource {
  const matches = built.children.filter((r) => r.type === type);
  assert.equal(matches.length, 1, `one ${type} under ${built.record.name}, found ${matches.length}`);
  return matches[0];
}

type Statement = Record<string, unknown>;

function statementsOf(built: Built): Statement[] {
  return policyDocument(childOf(built, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement;
}

describe("SecureBucket", () => {
  let plain: Built;
  let withKms: Built;
  let protectedBucket: Built;
  let generated: Built;

  before(async () => {
    recorder.reset();
    plain = await build("audit-logs", {
      region: "eu-west-1",
      bucketName: "helium-audit-logs-eu-west-1",
      policyStatements: (bucketArn) => [
        {
          Sid: "AllowLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: pulumi.interpolate`${bucketArn}/logs/*`,
        },
      ],
    });
    withKms = await build("kms-logs", {
      region: "eu-west-1",
      bucketName: "helium-kms-logs-eu-west-1",
      kmsKeyArn: KMS_KEY_ARN,
      forceDestroy: true,
    });
    protectedBucket = await build(
      "kept-logs",
      { region: "ap-south-1", bucketName: "helium-kept-logs-ap-south-1" },
      { protect: true },
    );
    generated = await build("gen-logs", {
      region: "ap-south-1",
      bucketName: "helium-gen-logs-staging-mum",
      generatedName: true,
    });
  });
  beforeEach(() => recorder.reset());

  it("registers the bucket, encryption, public access block, ownership controls and policy, all in the given region", () => {
    const types = plain.children.map((r) => r.type).sort();
    assert.deepEqual(types, [
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ]);
    for (const child of plain.children) {
      assert.equal(child.region, "eu-west-1", `${child.type} region`);
      assert.equal(child.parent, plain.record.urn, `${child.type} is a direct child`);
    }
    const bucket = childOf(plain, "aws:s3/bucket:Bucket");
    assert.equal(bucket.inputs.bucket, "helium-audit-logs-eu-west-1");
    assert.equal(bucket.inputs.forceDestroy, false, "forceDestroy defaults to false");
    assert.equal(childOf(withKms, "aws:s3/bucket:Bucket").inputs.forceDestroy, true);
    for (const type of [
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
    ]) {
      assert.equal(childOf(plain, type).inputs.bucket, "helium-audit-logs-eu-west-1", `${type} targets the bucket`);
    }
  });

  it("encrypts with AES256 by default, without a bucket key", () => {
    const sse = childOf(
      plain,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.deepEqual(sse.inputs.rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false },
    ]);
  });

  it("encrypts with aws:kms and an S3 bucket key when kmsKeyArn is set", () => {
    const sse = childOf(
      withKms,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    assert.deepEqual(sse.inputs.rules, [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KMS_KEY_ARN },
        bucketKeyEnabled: true,
      },
    ]);
  });

  it("blocks all four kinds of public access and enforces bucket-owner object ownership", () => {
    for (const built of [plain, withKms, protectedBucket]) {
      const block = childOf(built, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
        assert.equal(block.inputs[key], true, `${built.record.name}: ${key}`);
      }
      assert.deepEqual(childOf(built, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, {
        objectOwnership: "BucketOwnerEnforced",
      });
    }
  });

  it("keeps the caller's statements and ends the policy with the TLS-only deny on the bucket and its objects", () => {
    const arn = String(childOf(plain, "aws:s3/bucket:Bucket").outputs.arn);
    assert.match(arn, /^arn:aws:s3:::helium-audit-logs-eu-west-1$/);
    const statements = statementsOf(plain);
    assert.equal(statements.length, 2);
    assert.deepEqual(statements[0], {
      Sid: "AllowLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${arn}/logs/*`,
    });
    assert.deepEqual(statements[statements.length - 1], {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("has the TLS-only deny as its only statement when the caller adds none", () => {
    const statements = statementsOf(withKms);
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ["DenyInsecureTransport"],
    );
  });

  it("passes protect on the component down to the bucket", () => {
    assert.equal(childOf(protectedBucket, "aws:s3/bucket:Bucket").protect, true);
    assert.equal(childOf(plain, "aws:s3/bucket:Bucket").protect, false);
  });

  it("exposes the bucket's name and ARN", async () => {
    const bucket = childOf(plain, "aws:s3/bucket:Bucket");
    assert.equal(await valueOf(plain.component.bucketName), bucket.outputs.bucket);
    assert.equal(await valueOf(plain.component.arn), bucket.outputs.arn);
  });

  describe("generated names", () => {
    it("sets a bucketPrefix instead of a fixed name when asked, and keeps the baseline", () => {
      const bucket = childOf(generated, "aws:s3/bucket:Bucket");
      assert.equal(bucket.inputs.bucket, undefined);
      assert.equal(bucket.inputs.bucketPrefix, "helium-gen-logs-staging-mum-");
      assert.equal(childOf(plain, "aws:s3/bucket:Bucket").inputs.bucketPrefix, undefined, "fixed names by default");
      assert.equal(generated.children.length, 5);
      for (const type of [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
      ])
        assert.equal(childOf(generated, type).inputs.bucket, bucket.outputs.bucket, `${type} targets the bucket`);
    });

    it("bucketPrefixOf keeps a short name whole and cuts a long one to fit S3's 37 characters with a stable hash", () => {
      assert.equal(MAX_BUCKET_PREFIX, 37);
      assert.equal(bucketPrefixOf("helium-files-staging-mum"), "helium-files-staging-mum-");
      const fits = "a".repeat(36);
      assert.equal(bucketPrefixOf(fits), `${fits}-`);
      const long = "helium-staging-accelerator-flow-logs-ap-south-1";
      const prefix = bucketPrefixOf(long);
      assert.match(prefix, /^helium-staging-accelerator-[0-9a-f]{8}-$/, "the cut's trailing hyphen is not doubled");
      assert.equal(bucketPrefixOf(long), prefix, "stable");
      assert.notEqual(bucketPrefixOf(`${long}x`), prefix, "another name, another hash");
      for (let length = 3; length <= 63; length++) {
        const name = `h${"x.y-z".repeat(13)}`.slice(0, length - 1) + "k";
        const p = bucketPrefixOf(name);
        assert.ok(p.length <= MAX_BUCKET_PREFIX, `${name}: ${p}`);
        assert.match(p, /^[a-z0-9][a-z0-9.-]*-$/, name);
        assert.ok(!/[.-]{2}/.test(p.slice(0, -1)) || /[.-]{2}/.test(name), `${name}: ${p} adds no empty label`);
      }
    });
  });

  describe("bad bucket names throw one InputError before anything is registered", () => {
    const cases: Array<[string, string]> = [
      ["upper case", "Helium-Logs"],
      ["longer than 63 characters", `helium-${"x".repeat(57)}`],
      ["an IP address", "192.168.10.1"],
      ["shorter than 3 characters", "hl"],
      ["ending with a hyphen", "helium-logs-"],
    ];
    for (const [what, bucketName] of cases) {
      it(`rejects a name that is ${what}`, async () => {
        recorder.reset();
        const name = `bad-${what.replace(/\W+/g, "-")}`;
        assert.throws(
          () => new SecureBucket(name, { region: "eu-west-1", bucketName }),
          (error: unknown) => {
            assert.ok(error instanceof InputError, String(error));
            assert.ok(error instanceof pulumi.RunError);
            assert.equal(error.source, `SecureBucket ${name}`);
            assert.deepEqual(
              error.problems.map((p) => [p.key, p.value]),
              [["bucketName", bucketName]],
            );
            assert.match(error.problems[0].allowed, /lower-case/, "says what is allowed");
            assert.ok(error.message.includes(bucketName), `message names the bad value: ${error.message}`);
            return true;
          },
        );
        await settle();
        assert.equal(recorder.resources.length, 0, "nothing registered, not even the component");
      });
    }
  });
});
