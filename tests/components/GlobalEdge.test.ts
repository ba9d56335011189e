import { descendantsOf, policyDocument, recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import { GlobalEdge, type GlobalEdgeArgs } from "../../components/GlobalEdge";
import { HeliumRegion, type HeliumRegionArgs } from "../../components/HeliumRegion";
import { servicesSchema, withDefaultServices } from "../../config/services";
import type { Environment } from "../../lib/naming";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-outputs";
import type { RecordedResource } from "../../offline/types";

const COMPONENT = "helium:index:GlobalEdge";
const ACCELERATOR = "aws:globalaccelerator/accelerator:Accelerator";
const LISTENER = "aws:globalaccelerator/listener:Listener";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";
const RECORD = "aws:route53/record:Record";
const ZONE_ID = "Z0123456789ABCDEFGHIJ";
const DOMAIN = "he2.site";

/** A HeliumRegion as the environment stack builds one; only its region code and CIDR vary here. */
function regionArgs(
  environment: Environment,
  region: string,
  vpcCidr: string,
  createValidationRecords: boolean,
): HeliumRegionArgs {
  return {
    environment,
    network: {
      region,
      vpcCidr,
      availabilityZones: [`${region}a`, `${region}b`],
      natGateways: "single",
      interfaceEndpoints: [],
      trafficDialPercent: 100,
    },
    hostedZoneId: ZONE_ID,
    certificateDomain: DOMAIN,
    certificateAlternativeNames: [`*.${DOMAIN}`],
    services: servicesSchema.parse(withDefaultServices(undefined)),
    appOrigins: [`https://${DOMAIN}`],
    createValidationRecords,
  };
}

interface Built {
  readonly component: GlobalEdge;
  readonly record: RecordedResource;
  readonly children: RecordedResource[];
}

function childrenOf(built: Built, type: string): RecordedResource[] {
  return built.children.filter((r) => r.type === type);
}

function only(built: Built, type: string): RecordedResource {
  const matches = childrenOf(built, type);
  assert.equal(matches.length, 1, `one ${type} under ${built.record.name}, found ${matches.length}`);
  return matches[0];
}

describe("GlobalEdge", function () {
  let singapore: HeliumRegion;
  let virginia: HeliumRegion;
  let mumbai: HeliumRegion;
  /** Production over two regions, with a custom dial for Virginia and custom health checks. */
  let prod: Built;
  /** Staging over one region, flow logs off, every default taken. */
  let stg: Built;
  /** Everything recorded by the builds, kept because the bad-input tests reset the recorder. */
  let recorded: readonly RecordedResource[];

  async function build(name: string, args: GlobalEdgeArgs): Promise<Built> {
    const component = new GlobalEdge(name, args);
    await settle();
    const record = recorder.resources.find((r) => r.type === COMPONENT && r.name === name);
    assert.ok(record, `component ${name} was not recorded`);
    return { component, record, children: descendantsOf(record.urn) };
  }

  before(async () => {
    recorder.reset();
    singapore = new HeliumRegion("prod-sg", regionArgs("production", "ap-southeast-1", "10.20.0.0/16", true));
    virginia = new HeliumRegion("prod-va", regionArgs("production", "us-east-1", "10.30.0.0/16", false));
    mumbai = new HeliumRegion("stg-mum", regionArgs("staging", "ap-south-1", "10.110.0.0/16", true));
    prod = await build("prod-edge", {
      environment: "production",
      regions: [singapore, virginia],
      trafficDialPercent: { "us-east-1": 40 },
      hostedZoneId: ZONE_ID,
      domain: DOMAIN,
      recordName: "api",
      healthCheck: { path: "/healthz", intervalSeconds: 30, thresholdCount: 5 },
    });
    stg = await build("stg-edge", {
      environment: "staging",
      regions: [mumbai],
      hostedZoneId: ZONE_ID,
      domain: DOMAIN,
      recordName: "api-staging",
      flowLogs: false,
    });
    recorded = [...recorder.resources];
  });

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
      const accelerator = only(prod, ACCELERATOR);
      const bucket = only(prod, "aws:s3/bucket:Bucket");
      assert.deepEqual(accelerator.inputs.attributes, {
        flowLogsEnabled: true,
        flowLogsS3Bucket: bucket.outputs.bucket,
        flowLogsS3Prefix: "global-accelerator/",
      });
      const policy = only(prod, "aws:s3/bucketPolicy:BucketPolicy");
      assert.ok(accelerator.dependencies.includes(policy.urn), "the accelerator depends on the bucket policy");
    });

    it("turns flow logs off and creates no bucket with flowLogs: false", async () => {
      assert.deepEqual(only(stg, ACCELERATOR).inputs.attributes, { flowLogsEnabled: false });
      assert.deepEqual(childrenOf(stg, "aws:s3/bucket:Bucket"), []);
      assert.equal(stg.component.flowLogBucketName, undefined);
    });

    it("listens on TCP 80 and 443 with one listener on the accelerator", () => {
      for (const built of [prod, stg]) {
        const listener = only(built, LISTENER);
        assert.equal(listener.inputs.acceleratorArn, only(built, ACCELERATOR).outputs.arn);
        assert.equal(listener.inputs.protocol, "TCP");
        assert.deepEqual(listener.inputs.portRanges, [
          { fromPort: 80, toPort: 80 },
          { fromPort: 443, toPort: 443 },
        ]);
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
    it("has exactly one endpoint group per HeliumRegion, in that region, on the listener", () => {
      for (const [built, regions] of [
        [prod, ["ap-southeast-1", "us-east-1"]],
        [stg, ["ap-south-1"]],
      ] as const) {
        const groups = childrenOf(built, ENDPOINT_GROUP);
        assert.deepEqual(groups.map((g) => g.inputs.endpointGroupRegion).sort(), [...regions].sort());
        for (const group of groups) assert.equal(group.inputs.listenerArn, only(built, LISTENER).outputs.arn);
      }
    });

    it("holds the region's own ALB with client IP preservation", async () => {
      for (const [built, region] of [
        [prod, singapore],
        [prod, virginia],
        [stg, mumbai],
      ] as const) {
        const group = childrenOf(built, ENDPOINT_GROUP).find((g) => g.inputs.endpointGroupRegion === region.region);
        assert.ok(group, `endpoint group for ${region.region}`);
        const albArn = await valueOf(region.albArn);
        assert.match(
          albArn,
          new RegExp(`^arn:aws:elasticloadbalancing:${region.region}:`),
          "the ALB is in the group's region",
        );
        const endpoints = group.inputs.endpointConfigurations as Array<Record<string, unknown>>;
        assert.equal(endpoints.length, 1);
        assert.equal(endpoints[0].endpointId, albArn);
        assert.equal(endpoints[0].clientIpPreservationEnabled, true);
      }
    });

    it("takes the traffic dial from the arguments, 100 by default", () => {
      const dial = (built: Built, region: string) =>
        childrenOf(built, ENDPOINT_GROUP).find((g) => g.inputs.endpointGroupRegion === region)?.inputs
          .trafficDialPercentage;
      assert.equal(dial(prod, "us-east-1"), 40);
      assert.equal(dial(prod, "ap-southeast-1"), 100);
      assert.equal(dial(stg, "ap-south-1"), 100);
    });

    it("checks health over HTTPS on 443 with the documented defaults, or the given settings", () => {
      for (const group of childrenOf(stg, ENDPOINT_GROUP)) {
        assert.equal(group.inputs.healthCheckProtocol, "HTTPS");
        assert.equal(group.inputs.healthCheckPort, 443);
        assert.equal(group.inputs.healthCheckPath, "/api/health");
        assert.equal(group.inputs.healthCheckIntervalSeconds, 10);
        assert.equal(group.inputs.thresholdCount, 3);
      }
      for (const group of childrenOf(prod, ENDPOINT_GROUP)) {
        assert.equal(group.inputs.healthCheckProtocol, "HTTPS");
        assert.equal(group.inputs.healthCheckPath, "/healthz");
        assert.equal(group.inputs.healthCheckIntervalSeconds, 30);
        assert.equal(group.inputs.thresholdCount, 5);
      }
    });
  });

  describe("DNS", () => {
    it("creates a simple-routing alias A record <recordName>.<domain> to the accelerator, evaluating target health", async () => {
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

    it("registers the accelerator, listener, endpoint groups and record as global resources", () => {
      for (const built of [prod, stg]) {
        const globals = built.children.filter((r) => [ACCELERATOR, LISTENER, ENDPOINT_GROUP, RECORD].includes(r.type));
        assert.equal(globals.length, 3 + childrenOf(built, ENDPOINT_GROUP).length);
        for (const r of globals) assert.equal(r.region, null, `${r.type} ${r.name} has no region`);
      }
    });
  });

  describe("flow-log bucket", () => {
    it("is a SecureBucket in the first region, protected in production", async () => {
      const secureBuckets = childrenOf(prod, "helium:index:SecureBucket");
      assert.equal(secureBuckets.length, 1);
      assert.equal(secureBuckets[0].parent, prod.record.urn);
      const baseline = descendantsOf(secureBuckets[0].urn, recorded);
      assert.deepEqual(baseline.map((r) => r.type).sort(), [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ]);
      for (const r of baseline) assert.equal(r.region, "ap-southeast-1", `${r.type} in the home region`);
      const bucket = only(prod, "aws:s3/bucket:Bucket");
      assert.equal(bucket.inputs.bucket, "helium-accelerator-flow-logs-ap-southeast-1");
      assert.equal(bucket.protect, true);
      assert.equal(
        await valueOf(prod.component.flowLogBucketName as NonNullable<GlobalEdge["flowLogBucketName"]>),
        bucket.outputs.bucket,
      );
    });

    it("lets only delivery.logs.amazonaws.com write, pinned to this account by aws:SourceAccount", () => {
      const bucketArn = String(only(prod, "aws:s3/bucket:Bucket").outputs.arn);
      const statements = policyDocument(only(prod, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement;
      const delivery = statements.filter(
        (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "delivery.logs.amazonaws.com" }),
      );
      assert.ok(delivery.length >= 1);
      for (const s of delivery) {
        assert.equal(s.Effect, "Allow");
        assert.equal(
          (s.Condition as { StringEquals: Record<string, string> }).StringEquals["aws:SourceAccount"],
          MOCK_ACCOUNT_ID,
        );
      }
      const write = delivery.find((s) => s.Action === "s3:PutObject");
      assert.ok(write, "log delivery may put objects");
      assert.equal(write.Resource, `${bucketArn}/global-accelerator/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
      assert.equal(statements[statements.length - 1].Sid, "DenyInsecureTransport");
    });
  });

  describe("bad input fails before any child is registered", () => {
    const base = (): GlobalEdgeArgs => ({
      environment: "production",
      regions: [singapore, virginia],
      hostedZoneId: ZONE_ID,
      domain: DOMAIN,
      recordName: "api",
    });
    const cases: Array<[string, () => GlobalEdgeArgs, RegExp]> = [
      ["no regions", () => ({ ...base(), regions: [] }), /regions is empty/],
      [
        "a region listed twice",
        () => ({ ...base(), regions: [singapore, singapore] }),
        /regions lists ap-southeast-1 twice/,
      ],
      [
        "a dial above 100",
        () => ({ ...base(), trafficDialPercent: { "us-east-1": 101 } }),
        /trafficDialPercent\.us-east-1 is 101; allowed: 0-100/,
      ],
      [
        "a negative dial",
        () => ({ ...base(), trafficDialPercent: { "ap-southeast-1": -1 } }),
        /trafficDialPercent\.ap-southeast-1 is -1; allowed: 0-100/,
      ],
      [
        "a dial for a region without a HeliumRegion",
        () => ({ ...base(), trafficDialPercent: { "eu-west-1": 50 } }),
        /trafficDialPercent names eu-west-1, which has no HeliumRegion/,
      ],
      [
        "a health-check interval other than 10 or 30",
        () => ({ ...base(), healthCheck: { intervalSeconds: 20 as 10 } }),
        /healthCheck\.intervalSeconds is 20; allowed: 10 or 30/,
      ],
      [
        "a threshold of 0",
        () => ({ ...base(), healthCheck: { thresholdCount: 0 } }),
        /healthCheck\.thresholdCount is 0; allowed: 1-10/,
      ],
      [
        "a threshold of 11",
        () => ({ ...base(), healthCheck: { thresholdCount: 11 } }),
        /healthCheck\.thresholdCount is 11; allowed: 1-10/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(`rejects ${what}`, async () => {
        recorder.reset();
        const name = `bad-${what.replace(/\W+/g, "-")}`;
        assert.throws(
          () => new GlobalEdge(name, args()),
          (error: Error) => {
            assert.match(error.message, message);
            assert.ok(error.message.includes(`GlobalEdge ${name}`), `names the component: ${error.message}`);
            return true;
          },
        );
        await settle();
        assert.deepEqual(
          recorder.resources.filter((r) => r.type !== COMPONENT).map((r) => `${r.type} ${r.name}`),
          [],
        );
      });
    }
  });
});
