import { recorder, settle, valueOf, oneOf } from "./component";
import * as assert from "node:assert/strict";
import * as iam from "@pulumi/aws/iam";
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { previewState } from "../../offline/mocks";
import { StackReferenceBoard } from "../../offline/stack-references";
import { UNKNOWN } from "../../offline/unknowns";

class Holder extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  constructor(name: string) {
    super("helium:test:Holder", name, {}, {});
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: "helium-files-sg", region: "ap-southeast-1" },
      { parent: this, protect: true },
    );
    this.registerOutputs({});
  }
}

describe("mock harness", () => {
  beforeEach(() => recorder.reset());

  it("records type, parent, region, protect and realistic outputs", async () => {
    const holder = new Holder("h");
    // The provider's own class: the program's (lib/aws-iam.ts) takes only checked documents.
    const role = new iam.Role("r", { assumeRolePolicy: "{}" });
    const queue = new aws.sqs.Queue("q", {
      name: "helium-work-sg",
      region: "ap-southeast-1",
      sqsManagedSseEnabled: true,
    });
    await settle();
    const bucket = oneOf("aws:s3/bucket:Bucket");
    const component = oneOf("helium:test:Holder");
    assert.equal(bucket.parent, component.urn);
    assert.equal(bucket.region, "ap-southeast-1");
    assert.equal(bucket.protect, true);
    assert.equal(await valueOf(holder.bucket.arn), "arn:aws:s3:::helium-files-sg");
    assert.equal(oneOf("aws:iam/role:Role").region, null, "IAM is global");
    assert.match(await valueOf(role.arn), /^arn:aws:iam::123456789012:role\/r-[0-9a-f]{7}$/);
    assert.equal(await valueOf(queue.url), "https://sqs.ap-southeast-1.amazonaws.com/123456789012/helium-work-sg");
    assert.equal(await valueOf(queue.arn), "arn:aws:sqs:ap-southeast-1:123456789012:helium-work-sg");
  });

  // Fault: a bucket with bucketPrefix was named <logical name>-<hash> (staging's filesBucket output read
  // staging-mumbai-files-5e2d93cc while its prefix was helium-files-staging-mum-).
  it("names a bucket with bucketPrefix as AWS does: the prefix and a 26-digit unique suffix", async () => {
    const prefixed = new aws.s3.Bucket("files", { bucketPrefix: "helium-files-staging-mum-", region: "ap-south-1" });
    await settle();
    const name = await valueOf(prefixed.bucket);
    assert.match(name, /^helium-files-staging-mum-[0-9]{26}$/);
    assert.ok(name.length <= 63, "S3's limit");
    assert.equal(await valueOf(prefixed.arn), `arn:aws:s3:::${name}`);
    assert.equal(await valueOf(prefixed.bucketRegionalDomainName), `${name}.s3.ap-south-1.amazonaws.com`);
  });

  it("records property dependencies between resources", async () => {
    const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16", region: "us-east-1" });
    new aws.ec2.Subnet("s", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", region: "us-east-1" });
    await settle();
    const subnet = oneOf("aws:ec2/subnet:Subnet");
    assert.deepEqual(subnet.propertyDependencies.vpcId, [oneOf("aws:ec2/vpc:Vpc").urn]);
    assert.match(String(subnet.inputs.vpcId), /^vpc-[0-9a-f]{17}$/);
  });
});

describe("mock StackReferences (in-process)", () => {
  it("a secret output of the referenced stack reads as a secret, the others as plain values", async () => {
    recorder.stackReferences.replaceAll({
      "acme/helium/vault": { outputs: { region: "ap-south-1", token: "t0k3n" }, secretOutputs: ["token"] },
    });
    const reference = new pulumi.StackReference("vault", { name: "acme/helium/vault" });
    assert.deepEqual(await reference.getOutputDetails("region"), { value: "ap-south-1" });
    assert.deepEqual(await reference.getOutputDetails("token"), { secretValue: "t0k3n" });
    assert.equal(await pulumi.isSecret(reference.getOutput("token")), true);
    recorder.stackReferences.replaceAll({});
  });

  it("a read waits until the referenced stack's outputs are provided; an unannounced name fails at once", async () => {
    const board = new StackReferenceBoard(["later"]);
    let value: unknown;
    const read = board.read("later").then((r) => (value = r.outputs.x));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(value, undefined, "still waiting");
    board.provide("later", { outputs: { x: 1 }, secretOutputs: [] });
    await read;
    assert.equal(value, 1);
    await assert.rejects(
      board.read("other"),
      /StackReference "other" was not provided to the offline runtime; known: later/,
    );
  });
});

describe("previewState: a new resource at its first preview", () => {
  it("echoes inputs and makes every computed or changed property unknown", () => {
    const inputs = { name: "q", tags: { a: "b" }, port: pulumi.unknown };
    const update = { name: "q", tags: { a: "b" }, port: 6379, arn: "arn:aws:sqs:…:q", url: "https://…" };
    assert.deepEqual(previewState(inputs, update), {
      name: "q",
      tags: { a: "b" },
      port: UNKNOWN,
      arn: UNKNOWN,
      url: UNKNOWN,
    });
    assert.deepEqual(previewState({ metadata: { labels: {} } }, { metadata: { labels: {}, name: "x-1a2b" } }), {
      metadata: UNKNOWN,
    });
  });
});
