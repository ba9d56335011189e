import { descendantsOf, policyDocument, recorder, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { bucketPrefixOf } from "../../../lib/naming";
import { type EdgeRegion, GlobalEdge, type GlobalEdgeArgs } from "../../../components/edge/GlobalEdge";
import { expireNoncurrentVersions } from "../../../components/SecureBucket";
import { InputError } from "../../../lib/input-error";
import type { EdgeModel } from "../../../model/types/edge";
import { environmentModel } from "../../fixtures/models";
import type { RecordedResource } from "../../../offline/types";
import { ACCOUNT, type BuiltRegion, ZONE_ID, referenceRegions } from "../region/fixtures";

const COMPONENT = "helium:index:GlobalEdge";
const ACCELERATOR = "aws:globalaccelerator/accelerator:Accelerator";
const LISTENER = "aws:globalaccelerator/listener:Listener";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";
const RECORD = "aws:route53/record:Record";

/** Production over Singapore and Virginia, Virginia dialled to 40%. */
const productionEdge = (): EdgeModel =>
  environmentModel(
    { production: true, regions: [{ region: "ap-southeast-1" }, { region: "us-east-1", trafficDialPercent: 40 }] },
    { stack: "production" },
  ).edge;

interface Built {
  readonly component: GlobalEdge;
  readonly record: RecordedResource;
  readonly children: RecordedResource[];
}

async function build(name: string, args: GlobalEdgeArgs): Promise<Built> {
  recorder.reset();
  const component = new GlobalEdge(name, args);
  await settle();
  const recorded = [...recorder.resources];
  const record = recorded.find((r) => r.type === COMPONENT && r.name === name);
  assert.ok(record, `component ${name} was not recorded`);
  return { component, record, children: descendantsOf(record.urn, recorded) };
}

const childrenOf = (built: Built, type: string) => built.children.filter((r) => r.type === type);
function only(built: Built, type: string): RecordedResource {
  const matches = childrenOf(built, type);
  assert.equal(matches.length, 1, `one ${type} under ${built.record.name}, found ${matches.length}`);
  return matches[0];
}

describe("GlobalEdge", function () {
  let singapore: BuiltRegion;
  let virginia: BuiltRegion;
  let mumbai: BuiltRegion;
  /** Production over two regions, protected. */
  let prod: Built;
  /** Staging over one region, flow logs off. */
  let stg: Built;
  /** Staging with flow logs on and `protect` left at its default. */
  let logged: Built;

  before(async () => {
    const regions = await referenceRegions();
    singapore = regions.prod;
    virginia = regions.variant;
    mumbai = regions.stg;
    prod = await build("prod-edge", {
      model: productionEdge(),
      regions: [singapore.component, virginia.component],
      account: ACCOUNT,
      protect: true,
    });
    stg = await build("stg-edge", {
      model: environmentModel({ accelerator: { flowLogs: false } }).edge,
      regions: [mumbai.component],
      account: ACCOUNT,
    });
    logged = await build("logged-edge", {
      model: environmentModel().edge,
      regions: [mumbai.component],
      account: ACCOUNT,
    });
  });
  beforeEach(() => recorder.reset());

  describe("accelerator and listener", () => {
    it("creates one enabled IPv4 accelerator named per environment", () => {
      const prodAccelerator = only(prod, ACCELERATOR);
      assert.equal(prodAccelerator.inputs.name, "helium-accelerator");
      assert.equal(prodAccelerator.inputs.ipAddressType, "IPV4");
      assert.equal(prodAccelerator.inputs.enabled, true);
      const stgAccelerator = only(stg, ACCELERATOR);
      assert.equal(stgAccelerator.inputs.name, "helium-staging-accelerator");
      assert.equal(stgAccelerator.inputs.ipAddressType, "IPV4");
    });

    it("sends flow logs to its flow-log bucket, and only after the bucket policy lets log delivery write", () => {
      for (const built of [prod, logged]) {
        const accelerator = only(built, ACCELERATOR);
        const bucket = only(built, "aws:s3/bucket:Bucket");
        assert.deepEqual(accelerator.inputs.attributes, {
          flowLogsEnabled: true,
          flowLogsS3Bucket: bucket.outputs.bucket,
          flowLogsS3Prefix: "global-accelerator/",
        });
        const policy = only(built, "aws:s3/bucketPolicy:BucketPolicy");
        assert.ok(accelerator.dependencies.includes(policy.urn), "the accelerator depends on the bucket policy");
      }
    });

    it("turns flow logs off and creates no bucket when the model has no flow-log bucket", () => {
      assert.deepEqual(only(stg, ACCELERATOR).inputs.attributes, { flowLogsEnabled: false });
      assert.deepEqual(childrenOf(stg, "aws:s3/bucket:Bucket"), []);
      assert.equal(stg.component.flowLogBucketName, undefined);
    });

    it("listens on TCP 80 and 443 with one listener on the accelerator, without client affinity", () => {
      for (const built of [prod, stg]) {
        const listener = only(built, LISTENER);
        assert.equal(listener.inputs.acceleratorArn, only(built, ACCELERATOR).outputs.arn);
        assert.equal(listener.inputs.protocol, "TCP");
        assert.deepEqual(listener.inputs.portRanges, [
          { fromPort: 80, toPort: 80 },
          { fromPort: 443, toPort: 443 },
        ]);
        assert.equal(listener.inputs.clientAffinity, "NONE");
      }
    });

    it("exposes the accelerator's ARN, DNS name and anycast IPs", async () => {
      const accelerator = only(prod, ACCELERATOR);
      assert.equal(await valueOf(prod.component.acceleratorArn), accelerator.outputs.arn);
      assert.equal(await valueOf(prod.component.dnsName), accelerator.outputs.dnsName);
      const ipSets = accelerator.outputs.ipSets as Array<{ ipAddresses: string[] }>;
      assert.deepEqual(
        await valueOf(prod.component.ipAddresses),
        ipSets.flatMap((s) => s.ipAddresses),
      );
    });
  });

  describe("endpoint groups", () => {
    it("has exactly one endpoint group per region, in that region, on the listener", () => {
      for (const [built, regions] of [
        [prod, ["ap-southeast-1", "us-east-1"]],
        [stg, ["ap-south-1"]],
      ] as const) {
        const groups = childrenOf(built, ENDPOINT_GROUP);
        assert.deepEqual(
          groups.map((g) => g.inputs.endpointGroupRegion),
          [...regions],
        );
        for (const group of groups) assert.equal(group.inputs.listenerArn, only(built, LISTENER).outputs.arn);
      }
    });

    it("holds the region's own ALB with client IP preservation", async () => {
      for (const [built, region] of [
        [prod, singapore],
        [prod, virginia],
        [stg, mumbai],
      ] as const) {
        const group = childrenOf(built, ENDPOINT_GROUP).find(
          (g) => g.inputs.endpointGroupRegion === region.model.region,
        );
        assert.ok(group, `endpoint group for ${region.model.region}`);
        const albArn = await valueOf(region.component.albArn);
        assert.match(albArn, new RegExp(`^arn:aws:elasticloadbalancing:${region.model.region}:`), "the group's region");
        assert.deepEqual(group.inputs.endpointConfigurations, [
          { endpointId: albArn, clientIpPreservationEnabled: true, weight: 128 },
        ]);
      }
    });

    it("takes each region's traffic dial from the model", () => {
      const dial = (built: Built, region: string) =>
        childrenOf(built, ENDPOINT_GROUP).find((g) => g.inputs.endpointGroupRegion === region)?.inputs
          .trafficDialPercentage;
      assert.equal(dial(prod, "us-east-1"), 40);
      assert.equal(dial(prod, "ap-southeast-1"), 100);
      assert.equal(dial(stg, "ap-south-1"), 100);
    });

    // Changed: endpoint groups used to set HTTPS health checks (path, interval, threshold). For ALB endpoints
    // Global Accelerator ignores them and uses the load balancer's target health, so they are no longer set.
    it("sets no endpoint-group health check: for ALB endpoints Global Accelerator uses the targets' health", () => {
      for (const group of [...childrenOf(prod, ENDPOINT_GROUP), ...childrenOf(stg, ENDPOINT_GROUP)]) {
        for (const key of [
          "healthCheckProtocol",
          "healthCheckPort",
          "healthCheckPath",
          "healthCheckIntervalSeconds",
          "thresholdCount",
        ])
          assert.equal(group.inputs[key], undefined, `${group.name}: ${key}`);
      }
    });

    // The accelerator's former health-check keys are refused rather than silently ignored.
    it("refuses accelerator health-check settings in config, since the edge would not apply them", () => {
      assert.throws(
        () => environmentModel({ accelerator: { healthCheckPath: "/healthz", thresholdCount: 5 } }),
        (error: unknown) => {
          assert.ok(error instanceof InputError, String(error));
          const problem = error.problems.find((p) => p.key.startsWith("helium:accelerator."));
          assert.ok(problem, error.message);
          assert.match(problem.allowed, /"healthCheckPath", "thresholdCount"; allowed keys: flowLogs$/);
          return true;
        },
      );
    });
  });

  describe("DNS", () => {
    it("creates a simple-routing alias A record of the API name to the accelerator, evaluating target health", async () => {
      for (const [built, fqdn] of [
        [prod, "api.he2.site"],
        [stg, "api-staging.he2.site"],
      ] as const) {
        const record = only(built, RECORD);
        const accelerator = only(built, ACCELERATOR);
        assert.equal(record.inputs.zoneId, ZONE_ID);
        assert.equal(record.inputs.name, fqdn);
        assert.equal(record.inputs.type, "A");
        assert.deepEqual(record.inputs.aliases, [
          { name: accelerator.outputs.dnsName, zoneId: accelerator.outputs.hostedZoneId, evaluateTargetHealth: true },
        ]);
        for (const key of [
          "latencyRoutingPolicies",
          "geolocationRoutingPolicies",
          "geoproximityRoutingPolicy",
          "weightedRoutingPolicies",
          "failoverRoutingPolicies",
          "setIdentifier",
          "records",
          "ttl",
        ]) {
          assert.equal(record.inputs[key], undefined, `${fqdn}: no ${key}`);
        }
        assert.equal(await valueOf(built.component.apiFqdn), record.outputs.fqdn);
      }
    });

    it("gives every host a service routes on its own alias record, the API name keeping its one record", async () => {
      const model = environmentModel({
        services: {
          backend: { routes: [{ hostHeaders: ["api-staging.he2.site"], pathPatterns: ["/api/*"] }] },
          admin: {
            repository: "helium-frontend",
            port: 9000,
            routes: [{ hostHeaders: ["admin-staging.he2.site"] }],
            healthCheck: { path: "/health" },
          },
        },
      }).edge;
      assert.deepEqual(model.hostRecords, ["admin-staging.he2.site"]);
      const hosts = await build("hosts-edge", { model, regions: [mumbai.component], account: ACCOUNT });
      const accelerator = only(hosts, ACCELERATOR);
      const records = childrenOf(hosts, RECORD);
      assert.deepEqual(records.map((r) => [r.name, r.inputs.name, r.inputs.type]).sort(), [
        ["hosts-edge-api-record", "api-staging.he2.site", "A"],
        ["hosts-edge-host-admin-staging.he2.site", "admin-staging.he2.site", "A"],
      ]);
      for (const record of records) {
        assert.equal(record.inputs.zoneId, ZONE_ID);
        assert.deepEqual(record.inputs.aliases, [
          { name: accelerator.outputs.dnsName, zoneId: accelerator.outputs.hostedZoneId, evaluateTargetHealth: true },
        ]);
      }
    });

    it("registers the accelerator, listener, endpoint groups and record as global resources", () => {
      for (const built of [prod, stg]) {
        const globals = built.children.filter((r) => [ACCELERATOR, LISTENER, ENDPOINT_GROUP, RECORD].includes(r.type));
        assert.equal(globals.length, 3 + childrenOf(built, ENDPOINT_GROUP).length);
        for (const r of globals) assert.equal(r.region, null, `${r.type} ${r.name} has no region`);
      }
    });
  });

  describe("flow-log bucket", () => {
    it("is a SecureBucket in the first region, named by the model, protected when asked", async () => {
      const secureBuckets = childrenOf(prod, "helium:index:SecureBucket");
      assert.equal(secureBuckets.length, 1);
      assert.equal(secureBuckets[0].parent, prod.record.urn);
      const baseline = descendantsOf(secureBuckets[0].urn, prod.children);
      assert.deepEqual(baseline.map((r) => r.type).sort(), [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
      ]);
      for (const r of baseline) assert.equal(r.region, "ap-southeast-1", `${r.type} in the home region`);
      // Versioned (CKV_AWS_21), with noncurrent versions expiring after the versioning exists.
      const versioning = only(prod, "aws:s3/bucketVersioning:BucketVersioning");
      assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
      const lifecycle = only(prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
      assert.equal(lifecycle.region, "ap-southeast-1");
      assert.deepEqual(lifecycle.inputs.rules, expireNoncurrentVersions());
      assert.ok(lifecycle.dependencies.includes(versioning.urn));
      const bucket = only(prod, "aws:s3/bucket:Bucket");
      assert.equal(bucket.inputs.bucket, "helium-accelerator-flow-logs-ap-southeast-1");
      assert.equal(bucket.inputs.forceDestroy, false);
      assert.equal(bucket.protect, true);
      assert.equal(await valueOf(prod.component.flowLogBucketName as pulumi.Output<string>), bucket.outputs.bucket);
    });

    // Changed with 2c259e6: outside production the flow-log bucket's name is generated from the readable one,
    // and an unprotected bucket can be destroyed with its logs.
    it("is not protected by default; outside production its name is generated and it can be destroyed", () => {
      const bucket = only(logged, "aws:s3/bucket:Bucket");
      assert.equal(bucket.inputs.bucket, undefined);
      assert.equal(bucket.inputs.bucketPrefix, bucketPrefixOf("helium-staging-accelerator-flow-logs-ap-south-1"));
      assert.match(String(bucket.inputs.bucketPrefix), /^helium-staging-accelerator-[0-9a-f]{8}-$/);
      assert.equal(bucket.region, "ap-south-1");
      assert.equal(bucket.protect, false);
      assert.equal(bucket.inputs.forceDestroy, true);
    });

    it("lets only delivery.logs.amazonaws.com write, pinned to this account by aws:SourceAccount", () => {
      const bucketArn = String(only(prod, "aws:s3/bucket:Bucket").outputs.arn);
      const statements = policyDocument(only(prod, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement;
      const delivery = statements.filter(
        (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "delivery.logs.amazonaws.com" }),
      );
      assert.equal(delivery.length, 2);
      for (const s of delivery) {
        assert.equal(s.Effect, "Allow");
        assert.equal(
          (s.Condition as { StringEquals: Record<string, string> }).StringEquals["aws:SourceAccount"],
          ACCOUNT,
        );
      }
      const write = delivery.find((s) => s.Action === "s3:PutObject");
      assert.ok(write, "log delivery may put objects");
      assert.equal(write.Resource, `${bucketArn}/global-accelerator/AWSLogs/${ACCOUNT}/*`);
      assert.equal(
        (write.Condition as { StringEquals: Record<string, string> }).StringEquals["s3:x-amz-acl"],
        "bucket-owner-full-control",
      );
      const aclCheck = delivery.find((s) => s.Action === "s3:GetBucketAcl");
      assert.equal(aclCheck?.Resource, bucketArn);
      assert.equal(statements[statements.length - 1].Sid, "DenyInsecureTransport");
    });
  });

  describe("bad input throws one InputError before anything is registered", () => {
    const base = (): GlobalEdgeArgs => ({
      model: productionEdge(),
      regions: [singapore.component, virginia.component],
      account: ACCOUNT,
    });
    const withModel = (patch: Partial<EdgeModel>): GlobalEdgeArgs => ({
      ...base(),
      model: { ...productionEdge(), ...patch },
    });
    const dial = (percent: number) =>
      withModel({
        endpointGroups: [
          { region: "ap-southeast-1", trafficDialPercent: 100 },
          { region: "us-east-1", trafficDialPercent: percent },
        ],
      });
    const fake = (region: string): EdgeRegion => ({ region, albArn: `arn:aws:elasticloadbalancing:${region}:x` });
    const cases: Array<[string, () => GlobalEdgeArgs, Array<[string, unknown]>]> = [
      ["no regions", () => ({ ...withModel({ endpointGroups: [] }), regions: [] }), [["regions", []]]],
      [
        "a region listed twice",
        () => ({
          ...withModel({
            endpointGroups: [
              { region: "ap-southeast-1", trafficDialPercent: 100 },
              { region: "ap-southeast-1", trafficDialPercent: 100 },
            ],
          }),
          regions: [fake("ap-southeast-1"), fake("ap-southeast-1")],
        }),
        [["regions[1]", "ap-southeast-1"]],
      ],
      [
        "endpoint groups in another order than the regions",
        () => ({ ...base(), regions: [virginia.component, singapore.component] }),
        [["model.endpointGroups", ["ap-southeast-1", "us-east-1"]]],
      ],
      [
        "an endpoint group without its region",
        () => ({ ...base(), regions: [singapore.component] }),
        [["model.endpointGroups", ["ap-southeast-1", "us-east-1"]]],
      ],
      ["a dial above 100", () => dial(101), [["model.endpointGroups[1].trafficDialPercent", 101]]],
      ["a negative dial", () => dial(-1), [["model.endpointGroups[1].trafficDialPercent", -1]]],
      ["a dial that is not a number", () => dial(NaN), [["model.endpointGroups[1].trafficDialPercent", NaN]]],
      [
        "an accelerator name AWS would reject",
        () => withModel({ acceleratorName: "-helium-" }),
        [["model.acceleratorName", "-helium-"]],
      ],
      [
        "a flow-log bucket name S3 would reject",
        () => withModel({ flowLogBucket: "Helium_Flow_Logs" }),
        [["model.flowLogBucket", "Helium_Flow_Logs"]],
      ],
    ];
    for (const [what, args, expected] of cases) {
      it(`rejects ${what}`, async () => {
        recorder.reset();
        const name = `bad-${what.replace(/\W+/g, "-")}`;
        assert.throws(
          () => new GlobalEdge(name, args()),
          (error: unknown) => {
            assert.ok(error instanceof InputError, String(error));
            assert.equal(error.source, `GlobalEdge ${name}`);
            assert.deepEqual(
              error.problems.map((p) => [p.key, p.value]),
              expected,
            );
            assert.ok(error.message.includes(`GlobalEdge ${name}`), `names the component: ${error.message}`);
            return true;
          },
        );
        await settle();
        assert.equal(recorder.resources.length, 0, "nothing registered, not even the component");
      });
    }
  });
});
