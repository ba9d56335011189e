/**
 * Service Connect: a service that declares `consumes: ["<service>"]` reaches that service by name, through
 * the environment's Cloud Map namespace in each region, and the security groups open exactly that path.
 * Built with the real resolve step from config overrides (staging-like, Mumbai).
 */
import { recorder, settle } from "../../harness/component";
import * as assert from "node:assert/strict";
import { HeliumRegion } from "../../../components/region/HeliumRegion";
import { HeliumService } from "../../../components/service/HeliumService";
import { serviceConnectDiscoveryNameProblem } from "../../../lib/aws-constraints/ecs";
import { environmentNames } from "../../../lib/physical-names";
import { servicePaths } from "../../../model/service";
import { regionProblems } from "../../../model/region";
import { TEST_ACCOUNT, environmentConfig } from "../../fixtures/models";
import {
  ECS_SERVICE,
  ZONE_ID,
  deploy,
  inputErrorOf,
  ofType,
  serviceTaskDefinition,
  stagingRegion,
} from "./capability-fixtures";
import { type Deployment, child, containersOf, specOf } from "./fixtures";

const NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** Service-to-service rules: those that reference a service group from a service group. */
function servicePathRules(d: Deployment): Array<{ kind: "in" | "out"; from: string; to: string; port: unknown }> {
  const groupOf = new Map(Object.entries(d.region.serviceSecurityGroupIds).map(([name]) => [name, name] as const));
  const idToService = new Map<string, string>();
  for (const sg of ofType(d, "aws:ec2/securityGroup:SecurityGroup")) {
    const service = (sg.inputs.tags as Record<string, string> | undefined)?.["helium:service"];
    if (service !== undefined && groupOf.has(service)) idToService.set(String(sg.id), service);
  }
  const rules: Array<{ kind: "in" | "out"; from: string; to: string; port: unknown }> = [];
  for (const rule of [...ofType(d, INGRESS), ...ofType(d, EGRESS)]) {
    const own = idToService.get(String(rule.inputs.securityGroupId));
    const peer = idToService.get(String(rule.inputs.referencedSecurityGroupId));
    if (own === undefined || peer === undefined) continue;
    if (rule.type === INGRESS) rules.push({ kind: "in", from: peer, to: own, port: rule.inputs.fromPort });
    else rules.push({ kind: "out", from: own, to: peer, port: rule.inputs.fromPort });
  }
  return rules.sort((a, b) => `${a.kind}${a.from}${a.to}`.localeCompare(`${b.kind}${b.from}${b.to}`));
}

const connectOf = (d: Deployment, service: string) =>
  child(d, service, ECS_SERVICE).inputs.serviceConnectConfiguration as Record<string, unknown> | undefined;

describe("Service Connect (services.<name>.consumes another service)", function () {
  this.timeout(120_000);
  let off: Deployment;
  let on: Deployment;

  before(async () => {
    off = await deploy("sc-off", stagingRegion());
    on = await deploy("sc-on", stagingRegion({ services: { frontend: { consumes: ["backend"] } } }));
  });

  it("Helium's defaults (no service consumes another) create no namespace and no Service Connect config", () => {
    assert.deepEqual(ofType(off, NAMESPACE), []);
    for (const service of ["backend", "worker", "frontend"]) assert.equal(connectOf(off, service), undefined);
    assert.equal(off.model.serviceConnect, undefined);
    assert.deepEqual(servicePathRules(off), []);
  });

  it("creates one Cloud Map HTTP namespace in the region, named for the environment (lib/physical-names serviceNamespace)", () => {
    const [namespace] = ofType(on, NAMESPACE);
    assert.equal(ofType(on, NAMESPACE).length, 1);
    assert.equal(namespace.inputs.name, environmentNames("staging", "ap-south-1").serviceNamespace);
    assert.equal(namespace.inputs.name, "helium-staging");
    assert.equal(namespace.region, "ap-south-1");
  });

  it("the provider publishes its port under its name: portName http, discovery name and alias backend:8000", () => {
    const namespaceArn = ofType(on, NAMESPACE)[0].outputs.arn;
    const backend = connectOf(on, "backend");
    assert.ok(backend);
    assert.equal(backend.enabled, true);
    assert.equal(backend.namespace, namespaceArn);
    assert.deepEqual(backend.services, [
      { portName: "http", discoveryName: "backend", clientAlias: [{ dnsName: "backend", port: 8000 }] },
    ]);
    const [app] = containersOf(serviceTaskDefinition(on, "backend"));
    assert.deepEqual(app.portMappings, [{ containerPort: 8000, protocol: "tcp", name: "http", appProtocol: "http" }]);
  });

  it("the consumer is a client of the same namespace (and publishes its own port); the worker takes no part", () => {
    const frontend = connectOf(on, "frontend");
    assert.ok(frontend);
    assert.equal(frontend.namespace, connectOf(on, "backend")?.namespace);
    assert.deepEqual(
      (frontend.services as Array<Record<string, unknown>>).map((s) => s.discoveryName),
      ["frontend"],
    );
    assert.equal(connectOf(on, "worker"), undefined, "no port and consumes no service");
  });

  it("sends the Service Connect agent's logs to the service's own log group", () => {
    for (const service of ["backend", "frontend"]) {
      const logs = connectOf(on, service)?.logConfiguration as { logDriver: string; options: Record<string, string> };
      assert.equal(logs.logDriver, "awslogs");
      assert.equal(logs.options["awslogs-group"], `/helium/staging/${service}`);
      assert.equal(logs.options["awslogs-region"], "ap-south-1");
      assert.equal(logs.options["awslogs-stream-prefix"], "service-connect");
    }
  });

  it("security groups open exactly frontend → backend on 8000, at both ends, and no other service path", () => {
    assert.deepEqual(servicePathRules(on), [
      { kind: "in", from: "frontend", to: "backend", port: 8000 },
      { kind: "out", from: "frontend", to: "backend", port: 8000 },
    ]);
  });

  it("every service pair is open iff declared (backend → frontend, worker → backend as well)", async () => {
    const d = await deploy(
      "sc-more",
      stagingRegion({
        services: {
          frontend: { consumes: ["backend"] },
          backend: { consumes: ["cache", "frontend"] },
          worker: { consumes: ["cache", "backend"] },
        },
      }),
    );
    const declared = servicePaths(d.model.services)
      .map((p) => `${p.consumer}->${p.provider}:${p.port}`)
      .sort();
    assert.deepEqual(declared, ["backend->frontend:3000", "frontend->backend:8000", "worker->backend:8000"]);
    const open = servicePathRules(d);
    for (const consumer of ["backend", "worker", "frontend"]) {
      for (const provider of ["backend", "worker", "frontend"]) {
        const path = declared.find((p) => p.startsWith(`${consumer}->${provider}:`));
        const ingress = open.filter((r) => r.kind === "in" && r.from === consumer && r.to === provider);
        const egress = open.filter((r) => r.kind === "out" && r.from === consumer && r.to === provider);
        assert.equal(ingress.length, path === undefined ? 0 : 1, `${consumer} → ${provider} ingress`);
        assert.equal(egress.length, path === undefined ? 0 : 1, `${consumer} → ${provider} egress`);
        if (path !== undefined) assert.equal(ingress[0].port, Number(path.split(":")[1]));
      }
    }
    assert.ok(connectOf(d, "worker"), "a portless consumer is a client");
    assert.equal((connectOf(d, "worker") as Record<string, unknown>).services, undefined, "it publishes nothing");
  });

  describe("bad input", () => {
    const consumes = (frontend: unknown, extra: Record<string, unknown> = {}) =>
      inputErrorOf(() => environmentConfig({ services: { frontend: { consumes: frontend }, ...extra } }));

    it("a consumed service that does not exist, is disabled, has no port, or is the consumer itself", () => {
      assert.match(
        consumes(["billing"]),
        /helium:services\.frontend\.consumes\[0\]: "billing" — allowed: is neither a store \(cache, database\) nor a service \(backend, worker, frontend\)/,
      );
      assert.match(consumes(["worker"]), /consumes\[0\]: "worker" — allowed: service worker has no port/);
      assert.match(consumes(["frontend"]), /consumes\[0\]: "frontend" — allowed: a service cannot consume itself/);
      assert.match(
        consumes(["backend"], { backend: { enabled: false } }),
        /consumes\[0\]: "backend" — allowed: service backend is disabled/,
      );
    });

    it("a published name that Cloud Map rejects (a service name ending in a hyphen)", () => {
      assert.equal(serviceConnectDiscoveryNameProblem("backend"), undefined);
      assert.match(serviceConnectDiscoveryNameProblem("api-") ?? "", /neither starting nor ending with '-'/);
      assert.ok(serviceConnectDiscoveryNameProblem("-api"));
      assert.ok(serviceConnectDiscoveryNameProblem("a".repeat(65)));
      const message = inputErrorOf(() =>
        stagingRegion({
          services: {
            "api-": { repository: "helium-backend", port: 9000 },
            frontend: { consumes: ["api-"] },
          },
        }),
      );
      assert.match(message, /services\.api-\.serviceConnect\.publish\.discoveryName: "api-" — allowed: .*Cloud Map/);
    });

    it("a component built directly: a consumer without the region's namespace registers nothing", () => {
      const model = stagingRegion({ services: { frontend: { consumes: ["backend"] } } });
      const broken = { ...model, serviceConnect: undefined };
      assert.match(
        regionProblems(broken)
          .map((p) => `${p.key}: ${p.allowed}`)
          .join("\n"),
        /serviceConnect: a Service Connect namespace: services consume other services/,
      );
      recorder.reset();
      const message = inputErrorOf(
        () => new HeliumRegion("sc-broken", { model: broken, account: TEST_ACCOUNT, hostedZoneId: ZONE_ID }),
      );
      assert.match(message, /model\.serviceConnect: \(missing\)/);
      assert.deepEqual(recorder.resources, [], "nothing registered");
    });

    it("a service in Service Connect on a foundation without a namespace registers nothing", async () => {
      const model = stagingRegion({ services: { frontend: { consumes: ["backend"] } } });
      const foundation = off.region;
      recorder.reset();
      const frontend = model.services.find((s) => s.name === "frontend");
      assert.ok(frontend);
      const message = inputErrorOf(
        () =>
          new HeliumService("sc-orphan", {
            model: { ...frontend, region: foundation.region },
            foundation,
            account: TEST_ACCOUNT,
          }),
      );
      assert.match(
        message,
        /foundation\.serviceConnectNamespaceArn: \(missing\) — allowed: the region's Service Connect namespace \(helium-staging\)/,
      );
      await settle();
      assert.deepEqual(recorder.resources, []);
      assert.equal(specOf(on, "frontend").serviceConnect?.namespace, "helium-staging");
    });
  });
});
