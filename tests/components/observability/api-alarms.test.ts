import { recorder, resourcesOfType, settle } from "../../harness/component";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { InputError } from "../../../lib/input-error";
import type { RecordedResource } from "../../../offline/types";
import { ALARM, environmentArgs } from "./fixtures";

const MUMBAI = "ap-south-1";
const API_ID = "a1b2c3d4e5";

/** The staging environment in Mumbai with an HTTP API in front (entry apiGateway). */
function withApi(throttledRequestsThreshold: number) {
  const args = environmentArgs("staging", [MUMBAI], {
    alerts: { latencyP95Seconds: 2, alb5xxPercent: 3 },
    grafana: { enabled: false },
  });
  return {
    ...args,
    regions: args.regions.map((r) => ({ ...r, api: { apiId: pulumi.output(API_ID), throttledRequestsThreshold } })),
  };
}

const apiAlarms = () => resourcesOfType(ALARM).filter((a) => /^helium-api-/.test(String(a.inputs.name)));
const named = (name: string): RecordedResource => {
  const found = apiAlarms().find((a) => a.inputs.name === name);
  assert.ok(found, name);
  return found;
};

describe("Observability: the HTTP API of the API Gateway entry", () => {
  it("adds no API alarm or widget without an API (entry accelerator)", async () => {
    recorder.reset();
    new Observability("stg-obs-plain", environmentArgs("staging", [MUMBAI], { grafana: { enabled: false } }));
    await settle();
    assert.deepEqual(apiAlarms(), []);
    const body = String(resourcesOfType("aws:cloudwatch/dashboard:Dashboard")[0].inputs.dashboardBody);
    assert.ok(!body.includes("AWS/ApiGateway"));
  });

  describe("with an API", () => {
    before(async () => {
      recorder.reset();
      new Observability("stg-obs-api", withApi(5));
      await settle();
    });

    it("alarms on the 5xx share, p95 latency and throttled requests, each with an OK notice", () => {
      assert.deepEqual(
        apiAlarms()
          .map((a) => a.inputs.name)
          .sort(),
        ["helium-api-5xx-rate-staging-mum", "helium-api-latency-p95-staging-mum", "helium-api-throttled-staging-mum"],
      );
      for (const a of apiAlarms()) {
        assert.equal((a.inputs.alarmActions as string[]).length, 1);
        assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions);
        assert.equal(a.inputs.treatMissingData, "notBreaching");
      }
    });

    it("the 5xx share is 5xx over Count of this API, against alerts.alb5xxPercent", () => {
      const rate = named("helium-api-5xx-rate-staging-mum");
      assert.equal(rate.inputs.threshold, 3);
      const queries = rate.inputs.metricQueries as Array<{
        id: string;
        expression?: string;
        metric?: { namespace: string; metricName: string; dimensions: Record<string, string> };
      }>;
      assert.deepEqual(
        queries
          .filter((q) => q.metric)
          .map((q) => [q.id, q.metric?.namespace, q.metric?.metricName, q.metric?.dimensions]),
        [
          ["errors", "AWS/ApiGateway", "5xx", { ApiId: API_ID }],
          ["requests", "AWS/ApiGateway", "Count", { ApiId: API_ID }],
        ],
      );
    });

    it("latency is p95 Latency in milliseconds; throttling counts the access logs' 429s above the threshold", () => {
      const latency = named("helium-api-latency-p95-staging-mum");
      assert.equal(latency.inputs.metricName, "Latency");
      assert.equal(latency.inputs.extendedStatistic, "p95");
      assert.equal(latency.inputs.threshold, 2000);
      const throttled = named("helium-api-throttled-staging-mum");
      assert.deepEqual(
        [
          throttled.inputs.namespace,
          throttled.inputs.metricName,
          throttled.inputs.dimensions,
          throttled.inputs.threshold,
        ],
        ["Helium/ApiGateway", "ThrottledRequests", { ApiId: API_ID }, 5],
      );
    });

    it("graphs the API's requests, errors, 429s and latency on the dashboard", () => {
      const body = JSON.parse(
        String(resourcesOfType("aws:cloudwatch/dashboard:Dashboard")[0].inputs.dashboardBody),
      ) as {
        widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }>;
      };
      const titles = body.widgets.map((w) => w.properties.title ?? "");
      assert.ok(
        titles.some((t) => /HTTP API requests, 4xx, 5xx and throttled/.test(t)),
        titles.join("\n"),
      );
      assert.ok(titles.some((t) => /HTTP API latency p95/.test(t)));
      const lines = body.widgets.flatMap((w) => w.properties.metrics ?? []);
      assert.ok(lines.some((l) => l[0] === "Helium/ApiGateway" && l[1] === "ThrottledRequests" && l[3] === API_ID));
    });
  });

  it("a negative throttling threshold is an InputError naming it, registering nothing", async () => {
    recorder.reset();
    assert.throws(
      () => new Observability("stg-obs-bad", withApi(-1)),
      (error: unknown) =>
        error instanceof InputError &&
        error.problems.some((p) => p.key === "regions[0].api.throttledRequestsThreshold" && p.value === -1),
    );
    await settle();
    assert.deepEqual(recorder.resources, []);
  });
});
