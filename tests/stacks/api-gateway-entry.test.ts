/**
 * The API Gateway entry on a whole stack: a third environment, `dev`, registered in the shared stack's
 * helium:environments (lane 1) and set to `helium:entry: apiGateway` by config alone, with a JWT authoriser on
 * the backend. The shared stack is evaluated in a child process with dev registered, and its real outputs feed
 * the dev program, which runs in-process through main() (there is no Pulumi.dev.yaml; its config is staging's
 * file in two regions, with overrides). The policy pack then runs on what dev registered.
 */
import { recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { resolveAliases } from "../../offline/aliases";
import { InputError } from "../../lib/input-error";
import { runPolicyPack } from "../../policy-pack/engine";
import { main } from "../../stacks";
import { readStackFile } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource } from "../../offline/types";
import { PACK_CONFIG } from "../fixtures/pack-config";
import { startEvaluations } from "../harness/prefetch";

const REGIONS = ["ap-south-1", "ap-southeast-1"];
const ISSUER = "https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Example";
const ENVIRONMENTS = {
  staging: { branch: "beta", pushImages: true, addressLane: 10 },
  production: { branch: "migrated-demo2", pushImages: false, addressLane: 0 },
  dev: { branch: "dev", pushImages: false, addressLane: 1 },
};

const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  subnet: "aws:ec2/subnet:Subnet",
  vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
  api: "aws:apigatewayv2/api:Api",
  integration: "aws:apigatewayv2/integration:Integration",
  route: "aws:apigatewayv2/route:Route",
  authorizer: "aws:apigatewayv2/authorizer:Authorizer",
  stage: "aws:apigatewayv2/stage:Stage",
  domain: "aws:apigatewayv2/domainName:DomainName",
  mapping: "aws:apigatewayv2/apiMapping:ApiMapping",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  record: "aws:route53/record:Record",
  certificate: "aws:acm/certificate:Certificate",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
} as const;

/** Staging's committed config with keys replaced (objects as JSON text, as the engine hands them over). */
function configOf(overrides: Record<string, unknown>): Record<string, string> {
  const config = { ...readStackFile("staging").config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}

const DEV_CONFIG = configOf({
  "helium:regions": REGIONS.map((region) => ({ region })),
  "helium:imageTag": "v7",
  "helium:entry": "apiGateway",
  "helium:apiGateway": { jwtAuthorizer: { issuer: ISSUER, audience: ["helium-web"], services: ["backend"] } },
});

const ofType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
const inRegion = (resources: readonly RecordedResource[], type: string, region: string) =>
  ofType(resources, type).filter((r) => r.region === region);
const byId = (resources: readonly RecordedResource[], id: unknown) => resources.find((r) => r.id === id);

describe("entry apiGateway: a dev stack behind an HTTP API per region (whole program under mocks)", function () {
  this.timeout(240_000);
  startEvaluations([
    ["shared", { configOverrides: { "helium:environments": JSON.stringify(ENVIRONMENTS) } }],
    ["staging", { configOverrides: { "helium:entry": "apiGateway" } }],
  ]);
  let shared: Record<string, unknown>;
  let dev: { outputs: Record<string, unknown>; resources: RecordedResource[] };

  async function run(stack: string, config: Record<string, string>) {
    recorder.reset();
    recorder.setStackReferences({ shared });
    const exported = await main({ stack, config });
    const outputs = await valueOf(pulumi.output(exported));
    await settle();
    return { outputs: outputs as Record<string, unknown>, resources: [...recorder.resources] };
  }

  before(async () => {
    const evaluation = await evaluateStack("shared", {
      configOverrides: { "helium:environments": JSON.stringify(ENVIRONMENTS) },
    });
    shared = evaluation.outputs;
    dev = await run("dev", DEV_CONFIG);
  });

  after(() => recorder.setStackReferences({}));

  it("creates no Global Accelerator and exports the API name, not an accelerator", () => {
    assert.deepEqual(
      dev.resources.filter((r) => r.type.startsWith("aws:globalaccelerator/")).map((r) => r.type),
      [],
    );
    assert.equal(dev.outputs.apiUrl, "https://api-dev.he2.site");
    assert.equal(dev.outputs.accelerator, undefined);
    assert.deepEqual(Object.keys(dev.outputs.apiGateway as object).sort(), [...REGIONS].sort());
  });

  for (const region of REGIONS) {
    describe(`${region}`, () => {
      const short = region === "ap-south-1" ? "mum" : "sg";
      const lb = () => {
        const list = inRegion(dev.resources, T.lb, region);
        assert.equal(list.length, 1, "one load balancer");
        return list[0];
      };

      it("has one internal ALB, a resource of its own (another logical and physical name), in the private subnets", () => {
        const alb = lb();
        assert.equal(alb.inputs.internal, true);
        assert.match(alb.name, /-internal-alb$/);
        assert.equal(alb.inputs.name, `helium-alb-int-dev-${short}`);
        const subnets = (alb.inputs.subnets as string[]).map((id) => byId(dev.resources, id));
        assert.equal(subnets.length, 2);
        for (const subnet of subnets) assert.match(String(subnet?.name), /private/);
        assert.deepEqual(alb.inputs.tags, { Name: `helium-alb-int-dev-${short}`, "helium:entry": "apiGateway" });
      });

      it("listens on HTTPS only, with the region's certificate", () => {
        const listeners = inRegion(dev.resources, T.listener, region);
        assert.deepEqual(
          listeners.map((l) => [l.inputs.port, l.inputs.protocol]),
          [[443, "HTTPS"]],
        );
        assert.equal(listeners[0].inputs.loadBalancerArn, lb().outputs.arn);
      });

      it("lets only the VPC link's group into the ALB's group, and the link's group only out to the ALB on 443", () => {
        const albGroupId = (lb().inputs.securityGroups as string[])[0];
        const albIngress = inRegion(dev.resources, T.ingress, region).filter(
          (r) => r.inputs.securityGroupId === albGroupId,
        );
        const link = inRegion(dev.resources, T.vpcLink, region);
        assert.equal(link.length, 1);
        const linkGroupId = (link[0].inputs.securityGroupIds as string[])[0];
        assert.deepEqual(
          albIngress.map((r) => [
            r.inputs.fromPort,
            r.inputs.toPort,
            r.inputs.referencedSecurityGroupId,
            r.inputs.cidrIpv4,
          ]),
          [[443, 443, linkGroupId, undefined]],
        );
        const linkEgress = inRegion(dev.resources, T.egress, region).filter(
          (r) => r.inputs.securityGroupId === linkGroupId,
        );
        assert.deepEqual(
          linkEgress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]),
          [[443, albGroupId]],
        );
        assert.deepEqual(
          inRegion(dev.resources, T.ingress, region).filter((r) => r.inputs.securityGroupId === linkGroupId),
          [],
          "nothing may connect to the link's network interfaces",
        );
        assert.deepEqual(
          (link[0].inputs.subnetIds as string[])
            .map((id) => byId(dev.resources, id)?.name)
            .every((n) => /private/.test(String(n))),
          true,
        );
      });

      it("has an HTTP API whose routes come from the services: the open health route, backend behind the JWT, $default", () => {
        const apis = inRegion(dev.resources, T.api, region);
        assert.equal(apis.length, 1);
        assert.equal(apis[0].inputs.protocolType, "HTTP");
        assert.equal(apis[0].inputs.disableExecuteApiEndpoint, true);
        const routes = inRegion(dev.resources, T.route, region)
          .map((r) => [r.inputs.routeKey, r.inputs.authorizationType, r.inputs.authorizerId !== undefined])
          .sort();
        assert.deepEqual(routes, [
          ["$default", "NONE", false],
          ["ANY /api/{proxy+}", "JWT", true],
          ["GET /api/health", "NONE", false],
        ]);
        const authorizers = inRegion(dev.resources, T.authorizer, region);
        assert.equal(authorizers.length, 1);
        assert.deepEqual(authorizers[0].inputs.jwtConfiguration, { issuer: ISSUER, audiences: ["helium-web"] });
      });

      it("integrates privately with the ALB's HTTPS listener, verifying its certificate and passing the Host on", () => {
        const integrations = inRegion(dev.resources, T.integration, region);
        assert.equal(integrations.length, 1);
        const integration = integrations[0].inputs;
        const https = inRegion(dev.resources, T.listener, region)[0];
        assert.equal(integration.integrationType, "HTTP_PROXY");
        assert.equal(integration.connectionType, "VPC_LINK");
        assert.equal(integration.connectionId, inRegion(dev.resources, T.vpcLink, region)[0].id);
        assert.equal(integration.integrationUri, https.outputs.arn);
        assert.deepEqual(integration.tlsConfig, { serverNameToVerify: "api-dev.he2.site" });
        assert.deepEqual(integration.requestParameters, { "overwrite:header.host": "$request.header.host" });
        for (const route of inRegion(dev.resources, T.route, region))
          assert.equal(route.inputs.target, `integrations/${integrations[0].id}`);
      });

      it("throttles the $default stage (defaults: half the account quota) and logs to a KMS-encrypted group", () => {
        const stages = inRegion(dev.resources, T.stage, region);
        assert.equal(stages.length, 1);
        const stage = stages[0].inputs;
        assert.equal(stage.name, "$default");
        assert.deepEqual(stage.defaultRouteSettings, { throttlingRateLimit: 5000, throttlingBurstLimit: 2500 });
        const logs = inRegion(dev.resources, T.logGroup, region).find(
          (g) => g.inputs.name === `/helium/dev/api-gateway/${region}`,
        );
        assert.ok(logs, "the access-log group");
        assert.match(String(logs.inputs.kmsKeyId), /^arn:aws:kms:/);
        const settings = stage.accessLogSettings as { destinationArn: string; format: string };
        assert.equal(settings.destinationArn, logs.outputs.arn);
        assert.equal(typeof JSON.parse(settings.format.replace("$context.status", "0")), "object");
        const filters = inRegion(dev.resources, T.metricFilter, region);
        assert.deepEqual(
          filters.map((f) => [f.inputs.logGroupName, f.inputs.pattern]),
          [[logs.outputs.name, "{ $.status = 429 }"]],
        );
      });

      it("serves the API name and its own name as regional custom domains on the region's certificate", () => {
        const domains = inRegion(dev.resources, T.domain, region);
        assert.deepEqual(
          domains.map((d) => d.inputs.domainName).sort(),
          ["api-dev.he2.site", `api-dev-${short}.he2.site`].sort(),
        );
        const certificate = inRegion(dev.resources, T.certificate, region)[0];
        assert.ok((certificate.inputs.subjectAlternativeNames as string[]).includes(`api-dev-${short}.he2.site`));
        for (const d of domains) {
          const configuration = d.inputs.domainNameConfiguration as Record<string, unknown>;
          assert.equal(configuration.endpointType, "REGIONAL");
          assert.equal(configuration.securityPolicy, "TLS_1_2");
          assert.equal(configuration.certificateArn, certificate.outputs.arn);
        }
        assert.equal(inRegion(dev.resources, T.mapping, region).length, 2);
      });

      it("writes the validation record of its own name (the first region also writes the shared names')", () => {
        const certificate = inRegion(dev.resources, T.certificate, region)[0];
        const records = ofType(dev.resources, T.record).filter(
          (r) => r.parent === certificate.parent && /certificate-validation/.test(r.name),
        );
        const apex = (name: string) => `.${name}.`;
        const names = records.map((r) => String(r.inputs.name));
        assert.ok(
          names.some((n) => n.endsWith(apex(`api-dev-${short}.he2.site`))),
          names.join(", "),
        );
        assert.equal(
          names.some((n) => n.endsWith(apex("api-dev.he2.site"))),
          region === REGIONS[0],
          "only the first region writes the shared name's record",
        );
        const validation = ofType(dev.resources, "aws:acm/certificateValidation:CertificateValidation").find(
          (v) => v.region === region,
        );
        assert.ok(validation);
        for (const record of records) assert.ok(validation.dependencies.includes(record.urn), record.name);
      });
    });
  }

  it("health-checks each region on its own name and routes the API name by latency, one record per region", () => {
    const checks = ofType(dev.resources, T.healthCheck);
    assert.deepEqual(checks.map((c) => c.inputs.fqdn).sort(), ["api-dev-mum.he2.site", "api-dev-sg.he2.site"]);
    for (const check of checks) {
      assert.equal(check.inputs.type, "HTTPS");
      assert.equal(check.inputs.resourcePath, "/api/health");
      assert.equal(check.inputs.requestInterval, 30);
      assert.equal(check.inputs.failureThreshold, 3);
      assert.equal(check.inputs.enableSni, true);
    }
    const latency = ofType(dev.resources, T.record).filter((r) => r.inputs.name === "api-dev.he2.site");
    assert.deepEqual(latency.map((r) => r.inputs.setIdentifier).sort(), [...REGIONS].sort());
    for (const record of latency) {
      const region = String(record.inputs.setIdentifier);
      assert.deepEqual(record.inputs.latencyRoutingPolicies, [{ region }]);
      const check = checks.find((c) => c.id === record.inputs.healthCheckId);
      assert.equal(check?.inputs.fqdn, `api-dev-${region === "ap-south-1" ? "mum" : "sg"}.he2.site`);
      const alias = (record.inputs.aliases as Array<Record<string, unknown>>)[0];
      assert.match(String(alias.name), new RegExp(`^d-[0-9a-f]+\\.execute-api\\.${region}\\.amazonaws\\.com$`));
      assert.equal(alias.evaluateTargetHealth, true);
    }
  });

  it("alarms on the API's 5xx rate, p95 latency and throttled requests per region, with OK (recovery) notices", () => {
    for (const region of REGIONS) {
      const short = region === "ap-south-1" ? "mum" : "sg";
      const alarms = inRegion(dev.resources, T.alarm, region).filter((a) => /-api-/.test(String(a.inputs.name)));
      assert.deepEqual(alarms.map((a) => a.inputs.name).sort(), [
        `helium-api-5xx-rate-dev-${short}`,
        `helium-api-latency-p95-dev-${short}`,
        `helium-api-throttled-dev-${short}`,
      ]);
      const apiId = inRegion(dev.resources, T.api, region)[0].id;
      for (const a of alarms) {
        assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions);
        assert.ok(JSON.stringify(a.inputs).includes(String(apiId)), `${String(a.inputs.name)} watches the API`);
      }
      const throttled = alarms.find((a) => /throttled/.test(String(a.inputs.name)));
      assert.equal(throttled?.inputs.namespace, "Helium/ApiGateway");
      assert.equal(throttled?.inputs.metricName, "ThrottledRequests");
      const latency = alarms.find((a) => /latency/.test(String(a.inputs.name)));
      assert.equal(latency?.inputs.threshold, 1000, "alerts.latencyP95Seconds (1 s) in milliseconds");
    }
    const body = String(ofType(dev.resources, T.dashboard)[0].inputs.dashboardBody);
    for (const region of REGIONS) {
      const apiId = String(inRegion(dev.resources, T.api, region)[0].id);
      assert.ok(body.includes(`"ApiId","${apiId}"`), `the dashboard graphs ${region}'s API`);
    }
  });

  describe("switching an existing environment from the accelerator", () => {
    it("gives target groups behind the internal ALB another name prefix (a group serves one load balancer)", () => {
      const prefixes = ofType(dev.resources, "aws:lb/targetGroup:TargetGroup").map((g) => g.inputs.namePrefix);
      assert.deepEqual([...new Set(prefixes)].sort(), ["backi-", "froni-"]);
    });

    it("moves DNS only once the services run and the API serves; later regions' records wait for the first's", () => {
      const latency = ofType(dev.resources, T.record).filter((r) => r.inputs.name === "api-dev.he2.site");
      const first = latency.find((r) => r.inputs.setIdentifier === REGIONS[0]);
      const second = latency.find((r) => r.inputs.setIdentifier === REGIONS[1]);
      assert.ok(first && second);
      const services = ofType(dev.resources, "aws:ecs/service:Service").map((r) => r.urn);
      assert.equal(services.length, 6);
      for (const urn of services) assert.ok(first.dependencies.includes(urn), `waits for ${urn}`);
      const stage = inRegion(dev.resources, T.stage, REGIONS[0])[0];
      assert.ok(first.dependencies.includes(stage.urn), "waits for the stage");
      assert.ok(second.dependencies.includes(first.urn), "the second region's record waits for the first's");
    });

    it("staging switched by config: its first region's latency record takes over the accelerator's record (engine alias rules)", async () => {
      const [before, after] = await Promise.all([
        evaluateStack("staging"),
        evaluateStack("staging", { configOverrides: { "helium:entry": "apiGateway" } }),
      ]);
      const olds = new Set(before.resources.map((r) => r.urn));
      const resolution = resolveAliases(after.resources, olds, { project: "helium", stack: "staging" });
      assert.deepEqual(resolution.errors, []);
      const oldRecord = before.resources.find((r) => r.type === T.record && r.inputs.name === "api-staging.he2.site");
      const newRecord = after.resources.find((r) => r.type === T.record && r.inputs.name === "api-staging.he2.site");
      assert.ok(oldRecord && newRecord);
      assert.equal(oldRecord.name, "staging-edge-api-record");
      assert.equal(resolution.aliased.get(newRecord.urn), oldRecord.urn, "updated in place, not created beside it");
      // The internal ALB is a new resource; the internet-facing one is left to be deleted after it.
      const internal = after.resources.find((r) => r.type === T.lb);
      assert.equal(internal?.inputs.internal, true);
      assert.equal(resolution.claims.get(internal?.urn ?? ""), undefined, "the internal ALB is created, not updated");
    });
  });

  describe("policy pack", () => {
    it("passes with zero mandatory violations", () => {
      const report = runPolicyPack(dev.resources, { config: PACK_CONFIG });
      const mandatory = report.violations
        .filter((v) => v.enforcementLevel === "mandatory")
        .map((v) => `${v.policy} on ${v.resourceType} ${v.resourceName}: ${v.message}`);
      assert.deepEqual(mandatory, []);
    });

    for (const tagged of [false, true]) {
      it(`fails when the load balancer is made internet-facing${tagged ? " and tagged as the public edge" : ""}`, () => {
        const target = inRegion(dev.resources, T.lb, "ap-south-1")[0];
        const tags = tagged ? { Name: "x", "helium:exposure": "public-edge" } : target.inputs.tags;
        // Inputs for resource policies, the engine's answer (outputs) for stack policies.
        const broken = {
          ...target,
          inputs: { ...target.inputs, internal: false, tags },
          outputs: { ...target.outputs, internal: false, tags },
        };
        const report = runPolicyPack(
          dev.resources.map((r) => (r === target ? broken : r)),
          { config: PACK_CONFIG },
        );
        const hits = report.violations.filter((v) => v.resource === target.urn && v.enforcementLevel === "mandatory");
        assert.ok(
          hits.some((v) => v.policy === "helium-lb-internal-behind-api-gateway"),
          JSON.stringify(report.violations.map((v) => v.policy)),
        );
        assert.match(
          hits.find((v) => v.policy === "helium-lb-internal-behind-api-gateway")?.message ?? "",
          /API Gateway VPC link .* internet-facing/,
        );
      });
    }
  });

  it("a stage throttle above the account quota fails naming the key and value, registering no resource", async () => {
    recorder.reset();
    let caught: unknown;
    try {
      await main({
        stack: "dev",
        config: configOf({
          "helium:imageTag": "v7",
          "helium:entry": "apiGateway",
          "helium:apiGateway": { throttlingBurstLimit: 6000 },
        }),
      });
    } catch (error) {
      caught = error;
    }
    await settle();
    assert.ok(caught instanceof InputError, String(caught));
    const problem = caught.problems.find((p) => p.key === "helium:apiGateway.throttlingBurstLimit");
    assert.ok(problem, caught.message);
    assert.equal(problem.value, 6000);
    assert.match(problem.allowed, /5000/);
    // Only the shared stack's outputs were read (one run reports config and reference problems together).
    assert.deepEqual(
      recorder.resources.map((r) => r.type),
      ["pulumi:pulumi:StackReference"],
    );
  });
});
