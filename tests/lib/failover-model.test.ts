/**
 * The failover-detection model (lib/failover-model.ts) and its figure in `npm run report:deploy`, pinned for the
 * committed production stack: its configuration AND the target groups its program really registers.
 */
import assert from "node:assert/strict";
import { withDefaultServices } from "../../config/service-defaults";
import { type ServicesSpec, servicesSchema } from "../../config/services";
import { parseStackConfig } from "../../config/stack";
import { type FailoverSpec, regionDetection, serviceDetection } from "../../lib/failover-model";
import { failoverReport, renderFailoverReport } from "../../scripts/deploy-report";
import { readStackFile } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";

/** What the brief demands of production: a dead region leaves Global Accelerator within 15 s. */
const MAX_DETECTION_SECONDS = 15;
/** Fewer than 2 consecutive passes would let one lucky check flip a flapping region back in. */
const MIN_HEALTHY_THRESHOLD = 2;

const check = (interval: number, unhealthy: number, healthy = 3, timeout = 4): FailoverSpec => ({
  routes: [{}],
  healthCheck: {
    intervalSeconds: interval,
    unhealthyThreshold: unhealthy,
    healthyThreshold: healthy,
    timeoutSeconds: timeout,
  },
});

function servicesOf(stack: string): ServicesSpec {
  const parsed = parseStackConfig({ stack, config: readStackFile(stack).config });
  assert.equal(parsed.role, "environment");
  return parsed.config.services;
}

/** The rules the committed production stack must meet; returns the violations (empty when it meets them). */
function productionFailoverViolations(services: ServicesSpec): string[] {
  const detection = failoverReport(services);
  const violations: string[] = [];
  if (detection.regionDeadSeconds === undefined) violations.push("no load-balanced service");
  else if (detection.regionDeadSeconds > MAX_DETECTION_SECONDS)
    violations.push(`region detection ${detection.regionDeadSeconds} s > ${MAX_DETECTION_SECONDS} s`);
  for (const s of detection.services) {
    if (s.detectionSeconds > MAX_DETECTION_SECONDS)
      violations.push(`${s.service}: detection ${s.detectionSeconds} s > ${MAX_DETECTION_SECONDS} s`);
    if (s.healthyThreshold < MIN_HEALTHY_THRESHOLD)
      violations.push(`${s.service}: healthy threshold ${s.healthyThreshold} < ${MIN_HEALTHY_THRESHOLD}`);
  }
  return violations;
}

describe("lib/failover-model", () => {
  it("a target group is detected after interval × unhealthy threshold and back after interval × healthy threshold", () => {
    const row = serviceDetection("api", check(10, 3, 2));
    assert.deepEqual(
      { detection: row?.detectionSeconds, recovery: row?.recoverySeconds },
      { detection: 30, recovery: 20 },
    );
    assert.equal(serviceDetection("worker", { routes: [] }), undefined, "no route, no target group");
  });

  it("a dead region is pulled by its FASTEST-failing group (any group without a healthy target pulls the endpoint)", () => {
    const d = regionDetection({ api: check(10, 3), web: check(5, 2), worker: { routes: [] } });
    assert.equal(d.regionDeadSeconds, 10, "web fails first (5 s × 2), and one failed group is enough");
    assert.deepEqual(d.regionDeadSetBy, ["web"]);
    assert.equal(d.slowestServiceSeconds, 30, "api alone dead takes 10 s × 3");
    assert.deepEqual(d.slowestServiceBy, ["api"]);
    assert.deepEqual(
      d.services.map((s) => s.service),
      ["api", "web"],
      "the worker has no target group",
    );
  });

  it("names every group of a tie, and gives no region figure without a load-balanced service", () => {
    assert.deepEqual(regionDetection({ b: check(5, 3), a: check(5, 3) }).regionDeadSetBy, ["a", "b"]);
    const none = regionDetection({ worker: { routes: [] } });
    assert.equal(none.regionDeadSeconds, undefined);
    assert.match(renderFailoverReport(none), /No load-balanced service/);
  });
});

describe("failover detection of the committed production stack", function () {
  this.timeout(180_000);

  it(`Pulumi.production.yaml: a dead region is pulled within ${MAX_DETECTION_SECONDS} s, healthy threshold ≥ ${MIN_HEALTHY_THRESHOLD}`, () => {
    const services = servicesOf("production");
    assert.deepEqual(productionFailoverViolations(services), []);
    const detection = failoverReport(services);
    assert.deepEqual(
      detection.services.map((s) => s.service),
      ["backend", "frontend"],
      "both routed services count",
    );
    const text = renderFailoverReport(detection);
    assert.match(
      text,
      /Whole region dead: pulled after 15 s, set by the fastest-failing target group \(backend, frontend\)/,
    );
  });

  it("the same check fails for slower health checks or a threshold of 1 success (it can fail)", () => {
    const slow = servicesSchema.parse(
      withDefaultServices({ backend: { healthCheck: { path: "/api/health", intervalSeconds: 10 } } }),
    );
    assert.deepEqual(productionFailoverViolations(slow), ["backend: detection 30 s > 15 s"]);
    const everySlow = servicesSchema.parse(
      withDefaultServices({
        backend: { healthCheck: { path: "/api/health", intervalSeconds: 10 } },
        frontend: { healthCheck: { path: "/", intervalSeconds: 10 } },
      }),
    );
    assert.deepEqual(productionFailoverViolations(everySlow), [
      "region detection 30 s > 15 s",
      "backend: detection 30 s > 15 s",
      "frontend: detection 30 s > 15 s",
    ]);
    const flappy = structuredClone(servicesOf("production"));
    (flappy.frontend.healthCheck as { healthyThreshold: number }).healthyThreshold = 1;
    assert.deepEqual(productionFailoverViolations(flappy), ["frontend: healthy threshold 1 < 2"]);
  });

  it("every target group the production program registers has the health check the model read", async () => {
    const production = await evaluateStack("production");
    const detection = failoverReport(servicesOf("production"));
    const groups = production.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup");
    const regions = Object.keys(production.outputs.regions as object);
    assert.equal(groups.length, regions.length * detection.services.length, "one group per routed service per region");
    for (const group of groups) {
      const service = (group.inputs.tags as Record<string, string>)["helium:service"];
      const modelled = detection.services.find((s) => s.service === service);
      assert.ok(modelled, `${group.name} belongs to a modelled service`);
      const h = group.inputs.healthCheck as Record<string, unknown>;
      assert.deepEqual(
        {
          interval: h.interval,
          unhealthyThreshold: h.unhealthyThreshold,
          healthyThreshold: h.healthyThreshold,
          timeout: h.timeout,
        },
        {
          interval: modelled.intervalSeconds,
          unhealthyThreshold: modelled.unhealthyThreshold,
          healthyThreshold: modelled.healthyThreshold,
          timeout: modelled.timeoutSeconds,
        },
        `${group.name} (${group.region})`,
      );
      assert.ok(Number(h.interval) * Number(h.unhealthyThreshold) <= MAX_DETECTION_SECONDS, group.name);
      assert.ok(Number(h.healthyThreshold) >= MIN_HEALTHY_THRESHOLD, group.name);
    }
  });
});
