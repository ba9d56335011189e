import { descendantsOf, policyDocument, recorder, settle, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import {
  ACCESS_LOG_RETENTION_DAYS,
  RegionLoadBalancer,
  validationNames,
} from "../../../components/region/LoadBalancer";
import { InputError } from "../../../lib/input-error";
import { awsNameError } from "../../../lib/naming";
import { regionInfo } from "../../../lib/regions";
import { regionModel } from "../../fixtures/models";
import {
  ACCOUNT,
  type BuiltRegion,
  SECURITY_GROUP,
  ZONE_ID,
  all,
  arnOf,
  buildRegion,
  idOf,
  named,
  referenceRegions,
  subnetsOf,
} from "./fixtures";

const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";

describe("RegionLoadBalancer (through HeliumRegion)", function () {
  let prod: BuiltRegion;
  let stg: BuiltRegion;
  /** Production's second region: its certificate's validation record is written by the first region. */
  let variant: BuiltRegion;

  before(async () => {
    ({ prod, stg, variant } = await referenceRegions());
  });
  beforeEach(() => recorder.reset());

  it("is one helium:region:LoadBalancer component under the HeliumRegion, holding the ALB", () => {
    for (const built of [prod, stg]) {
      const components = built.resources.filter((r) => r.type === "helium:region:LoadBalancer");
      assert.deepEqual(
        components.map((c) => [c.name, c.parent]),
        [[`${built.name}-load-balancer`, built.record.urn]],
      );
      assert.equal(named(built, "aws:lb/loadBalancer:LoadBalancer", "alb").parent, components[0].urn);
    }
  });

  it("puts an internet-facing ALB in the public subnets only, dropping invalid headers and logging to its bucket", async () => {
    for (const [built, deletionProtection, name] of [
      [prod, true, "helium-alb-sg"],
      [stg, false, "helium-alb-staging-mum"],
    ] as const) {
      const alb = named(built, "aws:lb/loadBalancer:LoadBalancer", "alb");
      assert.equal(alb.inputs.name, name);
      assert.equal(awsNameError("loadBalancer", name), undefined);
      assert.equal(alb.inputs.internal, false);
      assert.equal(alb.inputs.loadBalancerType, "application");
      assert.deepEqual([...(alb.inputs.subnets as string[])].sort(), subnetsOf(built, "public").map(idOf).sort());
      assert.deepEqual(alb.inputs.securityGroups, [idOf(named(built, SECURITY_GROUP, "alb-sg"))]);
      assert.equal(alb.inputs.dropInvalidHeaderFields, true);
      assert.equal(alb.inputs.desyncMitigationMode, "defensive");
      assert.equal(alb.inputs.idleTimeout, 60);
      assert.equal(alb.inputs.enableDeletionProtection, deletionProtection);
      assert.equal((alb.inputs.tags as Record<string, string>)["helium:exposure"], "public-edge");
      const logs = alb.inputs.accessLogs as { bucket: string; enabled: boolean; prefix: string };
      assert.equal(logs.enabled, true);
      assert.equal(logs.prefix, "alb");
      const logBucket = all(built, "aws:s3/bucket:Bucket").find((b) => b.outputs.bucket === logs.bucket);
      assert.ok(logBucket, "access logs go to the component's bucket");
      assert.equal(await valueOf(built.component.albDnsName), alb.outputs.dnsName);
      assert.equal(await valueOf(built.component.albArn), arnOf(alb));
      assert.equal(await valueOf(built.component.albArnSuffix), alb.outputs.arnSuffix);
      assert.equal(await valueOf(built.component.albZoneId), alb.outputs.zoneId);
    }
  });

  it("keeps access logs in an SSE-S3, private, TLS-only bucket that only the region's ELB account may write to", () => {
    for (const built of [prod, stg]) {
      const bucket = named(built, "aws:s3/bucket:Bucket", "alb-logs");
      const ofBucket = (type: string) => {
        const found = all(built, type).filter((r) => r.inputs.bucket === bucket.outputs.bucket);
        assert.equal(found.length, 1, `${type} of ${bucket.name}`);
        return found[0];
      };
      const sse = ofBucket(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs;
      assert.deepEqual(sse.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false },
      ]);
      assert.equal(ofBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs.blockPublicPolicy, true);
      const statements = policyDocument(ofBucket("aws:s3/bucketPolicy:BucketPolicy").inputs.policy).Statement;
      assert.deepEqual(statements[0], {
        Sid: "AllowAlbLogDelivery",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${regionInfo(built.model.region).elbLogDeliveryAccountId}:root` },
        Action: "s3:PutObject",
        Resource: `${arnOf(bucket)}/alb/AWSLogs/${ACCOUNT}/*`,
      });
      assert.equal(statements[statements.length - 1].Sid, "DenyInsecureTransport");
      const lifecycle = ofBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs;
      assert.deepEqual(lifecycle.rules, [
        { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: ACCESS_LOG_RETENTION_DAYS } },
      ]);
      assert.equal(ACCESS_LOG_RETENTION_DAYS, 90);
      const alb = named(built, "aws:lb/loadBalancer:LoadBalancer", "alb");
      assert.ok(
        alb.dependencies.includes(ofBucket("aws:s3/bucketPolicy:BucketPolicy").urn),
        "the ALB waits for the policy that lets log delivery write",
      );
    }
  });

  // Changed with 2c259e6: outside production the access-log bucket's name is generated from the readable one.
  it("names the access-log bucket helium-alb-logs-<short> in production and generates it from that prefix elsewhere", () => {
    const prodBucket = named(prod, "aws:s3/bucket:Bucket", "alb-logs");
    assert.deepEqual([prodBucket.inputs.bucket, prodBucket.inputs.bucketPrefix], ["helium-alb-logs-sg", undefined]);
    const stgBucket = named(stg, "aws:s3/bucket:Bucket", "alb-logs");
    assert.deepEqual(
      [stgBucket.inputs.bucket, stgBucket.inputs.bucketPrefix],
      [undefined, "helium-alb-logs-staging-mum-"],
    );
  });

  it("protects the access-log bucket in production and lets staging's be destroyed with its logs", () => {
    const secureBucket = (built: BuiltRegion) => named(built, "helium:index:SecureBucket", "alb-logs");
    assert.equal(secureBucket(prod).protect, true);
    assert.equal(named(prod, "aws:s3/bucket:Bucket", "alb-logs").protect, true, "protect reaches the bucket");
    assert.equal(named(prod, "aws:s3/bucket:Bucket", "alb-logs").inputs.forceDestroy, false);
    assert.equal(secureBucket(stg).protect, false);
    assert.equal(named(stg, "aws:s3/bucket:Bucket", "alb-logs").inputs.forceDestroy, true);
    assert.deepEqual(
      descendantsOf(secureBucket(stg).urn, stg.resources)
        .map((r) => r.type)
        .sort(),
      [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ],
    );
  });

  it("serves HTTPS with the model's TLS 1.3/1.2 policy, the validated certificate and a fixed 404 by default", async () => {
    for (const built of [prod, stg]) {
      const alb = named(built, "aws:lb/loadBalancer:LoadBalancer", "alb");
      const https = named(built, "aws:lb/listener:Listener", "https");
      const certificate = named(built, CERTIFICATE, "certificate");
      const validation = named(built, VALIDATION, "certificate-validation");
      assert.equal(https.inputs.loadBalancerArn, arnOf(alb));
      assert.equal(https.inputs.port, 443);
      assert.equal(https.inputs.protocol, "HTTPS");
      assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
      assert.equal(https.inputs.certificateArn, arnOf(certificate));
      assert.equal(validation.inputs.certificateArn, arnOf(certificate));
      assert.deepEqual(
        https.propertyDependencies.certificateArn,
        [validation.urn],
        "the listener waits for validation",
      );
      assert.deepEqual(https.inputs.defaultActions, [
        {
          type: "fixed-response",
          fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
        },
      ]);
      assert.equal(await valueOf(built.component.httpsListenerArn), arnOf(https));
      assert.equal(await valueOf(built.component.certificateArn), arnOf(certificate));
    }
  });

  it("answers plain HTTP only with a redirect to HTTPS, and adds no listener rule of its own", async () => {
    for (const built of [prod, stg]) {
      const http = named(built, "aws:lb/listener:Listener", "http");
      assert.equal(http.inputs.port, 80);
      assert.equal(http.inputs.protocol, "HTTP");
      assert.deepEqual(http.inputs.defaultActions, [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
      assert.equal(all(built, "aws:lb/listener:Listener").length, 2);
      assert.deepEqual(all(built, "aws:lb/listenerRule:ListenerRule"), []);
      assert.ok(built.component.httpListenerArn);
      assert.equal(await valueOf(built.component.httpListenerArn), arnOf(http));
    }
  });

  it("requests production's certificate for the domain and its wildcard, validated by one DNS record in the zone", () => {
    const certificate = named(prod, CERTIFICATE, "certificate");
    assert.equal(certificate.inputs.domainName, "he2.site");
    assert.deepEqual(certificate.inputs.subjectAlternativeNames, ["*.he2.site"]);
    assert.equal(certificate.inputs.validationMethod, "DNS");
    assert.equal(certificate.inputs.keyAlgorithm, "RSA_2048");
    const options = certificate.outputs.domainValidationOptions as Array<{
      resourceRecordName: string;
      resourceRecordType: string;
      resourceRecordValue: string;
    }>;
    const records = all(prod, RECORD);
    assert.equal(records.length, 1, "apex and wildcard share one validation record");
    assert.equal(records[0].inputs.zoneId, ZONE_ID);
    assert.equal(records[0].inputs.name, options[0].resourceRecordName);
    assert.equal(records[0].inputs.type, options[0].resourceRecordType);
    assert.deepEqual(records[0].inputs.records, [options[0].resourceRecordValue]);
    assert.equal(records[0].inputs.ttl, 300);
    assert.equal(records[0].region, null, "Route 53 is global");
    const validation = named(prod, VALIDATION, "certificate-validation");
    assert.deepEqual(validation.inputs.validationRecordFqdns, [records[0].outputs.fqdn]);
  });

  // Changed: staging's certificate used to cover the domain and its wildcard; the model now gives environments
  // other than production a certificate for their own API name only.
  it("requests staging's certificate for its API name only", () => {
    const certificate = named(stg, CERTIFICATE, "certificate");
    assert.equal(certificate.inputs.domainName, "api-staging.he2.site");
    assert.deepEqual(certificate.inputs.subjectAlternativeNames, []);
    const records = all(stg, RECORD);
    assert.equal(records.length, 1);
    const [option] = certificate.outputs.domainValidationOptions as Array<{ resourceRecordName: string }>;
    assert.equal(records[0].inputs.name, option.resourceRecordName);
  });

  it("adds a host route's name to the certificate and validates each name with its own record", async () => {
    const hosts = await buildRegion(
      "hosts-mum",
      regionModel({
        services: {
          admin: {
            repository: "helium-frontend",
            port: 9000,
            routes: [{ hostHeaders: ["admin-staging.he2.site"] }],
            healthCheck: { path: "/health" },
          },
        },
      }),
    );
    const certificate = named(hosts, CERTIFICATE, "certificate");
    assert.equal(certificate.inputs.domainName, "api-staging.he2.site");
    assert.deepEqual(certificate.inputs.subjectAlternativeNames, ["admin-staging.he2.site"]);
    const options = certificate.outputs.domainValidationOptions as Array<{
      domainName: string;
      resourceRecordName: string;
      resourceRecordValue: string;
    }>;
    const records = [named(hosts, RECORD, "certificate-validation"), named(hosts, RECORD, "certificate-validation-2")];
    assert.equal(all(hosts, RECORD).length, 2);
    for (const [record, domain] of [
      [records[0], "api-staging.he2.site"],
      [records[1], "admin-staging.he2.site"],
    ] as const) {
      const option = options.find((o) => o.domainName === domain);
      assert.ok(option, domain);
      assert.equal(record.inputs.name, option.resourceRecordName);
      assert.deepEqual(record.inputs.records, [option.resourceRecordValue]);
    }
    assert.deepEqual(
      named(hosts, VALIDATION, "certificate-validation").inputs.validationRecordFqdns,
      records.map((r) => r.outputs.fqdn),
    );
  });

  it("creates no validation record when the model says another region writes it, but still waits for validation", () => {
    assert.equal(variant.model.loadBalancer.certificate.createValidationRecords, false);
    assert.deepEqual(all(variant, RECORD), []);
    const validation = named(variant, VALIDATION, "certificate-validation");
    assert.equal(validation.inputs.certificateArn, arnOf(named(variant, CERTIFICATE, "certificate")));
    assert.deepEqual(validation.inputs.validationRecordFqdns, []);
  });

  it("validationNames folds a wildcard into its base name and keeps other names apart", () => {
    assert.deepEqual(validationNames("he2.site", ["*.he2.site"]), ["he2.site"]);
    assert.deepEqual(validationNames("api.he2.site", []), ["api.he2.site"]);
    assert.deepEqual(validationNames("he2.site", ["*.he2.site", "www.example.com", "*.example.com"]), [
      "he2.site",
      "www.example.com",
      "example.com",
    ]);
  });
});

describe("RegionLoadBalancer, internal (entry apiGateway)", function () {
  let internal: BuiltRegion;

  before(async () => {
    const model = regionModel({ entry: "apiGateway" });
    internal = await buildRegion("stg-int", model);
  });

  it("is another resource with another name, internal, in the private subnets, tagged with its entry", () => {
    const albs = all(internal, "aws:lb/loadBalancer:LoadBalancer");
    assert.deepEqual(
      albs.map((a) => a.name),
      ["stg-int-internal-alb"],
    );
    const alb = albs[0];
    assert.equal(alb.inputs.name, "helium-alb-int-staging-mum");
    assert.equal(alb.inputs.internal, true);
    assert.deepEqual([...(alb.inputs.subnets as string[])].sort(), subnetsOf(internal, "private").map(idOf).sort());
    assert.deepEqual(alb.inputs.tags, { Name: "helium-alb-int-staging-mum", "helium:entry": "apiGateway" });
  });

  it("listens on HTTPS only: no port-80 redirect, no open ingress on its security group", () => {
    const listeners = all(internal, "aws:lb/listener:Listener");
    assert.deepEqual(
      listeners.map((l) => [l.inputs.port, l.inputs.protocol]),
      [[443, "HTTPS"]],
    );
    assert.equal(internal.component.httpListenerArn, undefined);
    const albGroup = idOf(named(internal, SECURITY_GROUP, "alb-sg"));
    const ingress = all(internal, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === albGroup,
    );
    assert.deepEqual(ingress, [], "its only ingress (from the VPC link) is made with the link");
    assert.match(String(named(internal, SECURITY_GROUP, "alb-sg").inputs.description), /VPC link only/);
  });

  it("adds the region's own API name to its certificate and writes that name's validation record", () => {
    const certificate = named(internal, CERTIFICATE, "certificate");
    assert.deepEqual(certificate.inputs.subjectAlternativeNames, ["api-staging-mum.he2.site"]);
    const records = all(internal, RECORD).filter((r) => /certificate-validation/.test(r.name));
    assert.equal(records.length, 2, "the API name and the region's own name");
  });
});

describe("RegionLoadBalancer argument checks", () => {
  it("an internal load balancer without private subnets is an InputError naming them, registering nothing", async () => {
    recorder.reset();
    const model = regionModel({ entry: "apiGateway" });
    assert.throws(
      () =>
        new RegionLoadBalancer("lb-bad", {
          model,
          namePrefix: "lb-bad",
          account: ACCOUNT,
          hostedZoneId: ZONE_ID,
          securityGroupId: "sg-1",
          publicSubnetIds: ["subnet-a", "subnet-b"],
        }),
      (error: unknown) =>
        error instanceof InputError &&
        error.problems.some((p) => p.key === "privateSubnetIds" && p.value === undefined),
    );
    await settle();
    assert.deepEqual(recorder.resources, []);
  });
});
