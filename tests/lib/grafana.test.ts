import * as assert from "node:assert/strict";
import type { DashboardRegion } from "../../lib/dashboard";
import {
  GRAFANA_TOKEN_ROTATION_DAYS,
  GRAFANA_TOKEN_SECONDS_TO_LIVE,
  grafanaDashboard,
  grafanaDataSourceName,
  grafanaDataSourceUid,
  grafanaTokenName,
  grafanaTokenWindowStart,
} from "../../lib/grafana";
import { DASHBOARD_THRESHOLDS as THRESHOLDS } from "../fixtures/dashboard";

const MUMBAI: DashboardRegion = {
  region: "ap-south-1",
  albArnSuffix: "app/helium-alb-mum/aaaa",
  queueName: "helium-work-mum",
  dlqName: "helium-work-dlq-mum",
  redisReplicationGroupId: "helium-redis-mum",
  services: [
    {
      name: "backend",
      serviceName: "helium-backend-service",
      clusterName: "helium-mumbai-cluster",
      targetGroupArnSuffix: "targetgroup/helium-backend-mum/1111",
      minTasks: 2,
    },
    { name: "worker", serviceName: "helium-worker-service", clusterName: "helium-mumbai-cluster", minTasks: 1 },
  ],
};
const SINGAPORE: DashboardRegion = {
  ...MUMBAI,
  region: "ap-southeast-1",
  albArnSuffix: "app/helium-alb-sg/bbbb",
  services: [],
};

interface Target {
  refId: string;
  datasource: { type: string; uid: string };
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, string>;
  statistic?: string;
  period?: string;
  label?: string;
  queryType?: string;
  query?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  fieldConfig?: { defaults: { thresholds?: { steps: Array<{ value: number | null }> } } };
}

describe("lib/grafana", () => {
  describe("provisioning token", () => {
    it("lives 30 days, the API's maximum, and rotates every 14 days so a token in use has 16 days left", () => {
      assert.equal(GRAFANA_TOKEN_SECONDS_TO_LIVE, 30 * 86400);
      assert.equal(GRAFANA_TOKEN_ROTATION_DAYS, 14);
      assert.ok(GRAFANA_TOKEN_SECONDS_TO_LIVE / 86400 - GRAFANA_TOKEN_ROTATION_DAYS >= 14);
    });

    it("names a token after its window's first day (UTC), the same for any moment in the window", () => {
      assert.equal(grafanaTokenName(new Date("2026-09-24T00:00:00Z")), "pulumi-2026-09-24");
      assert.equal(grafanaTokenName(new Date("2026-10-07T23:59:59.999Z")), "pulumi-2026-09-24");
      assert.equal(grafanaTokenName(new Date("2026-10-08T00:00:00Z")), "pulumi-2026-10-08");
    });

    it("starts windows 14 days apart, at or before the given moment", () => {
      for (const iso of ["2026-01-01T05:00:00Z", "2026-06-15T23:59:59Z", "2027-02-28T12:00:00Z"]) {
        const now = new Date(iso);
        const start = grafanaTokenWindowStart(now);
        assert.ok(start.getTime() <= now.getTime());
        assert.ok(now.getTime() - start.getTime() < GRAFANA_TOKEN_ROTATION_DAYS * 86400_000, iso);
        assert.equal(start.getUTCHours(), 0);
      }
    });
  });

  it("names data sources by kind and region, with fixed uids within Grafana's 40 characters", () => {
    assert.equal(grafanaDataSourceUid("cloudwatch", "ap-south-1"), "helium-cloudwatch-mum");
    assert.equal(grafanaDataSourceUid("xray", "us-east-1"), "helium-xray-va");
    assert.equal(grafanaDataSourceName("cloudwatch", "ap-southeast-1"), "CloudWatch Singapore (ap-southeast-1)");
    assert.equal(grafanaDataSourceName("xray", "ap-south-1"), "X-Ray Mumbai (ap-south-1)");
  });

  describe("grafanaDashboard", () => {
    const model = grafanaDashboard(
      "production",
      [MUMBAI, SINGAPORE],
      THRESHOLDS,
      60,
      'annotation.environment = "production"',
    );
    const panels = model.panels as unknown as Panel[];
    const inRegion = (region: string) => panels.filter((p) => p.type !== "row" && p.title.includes(`(${region})`));
    const titled = (region: string, fragment: string) => {
      const found = inRegion(region).filter((p) => p.title.includes(fragment));
      assert.equal(found.length, 1, `one ${fragment} panel in ${region}`);
      return found[0];
    };

    it("is the environment's dashboard, one row per region", () => {
      assert.equal(model.uid, "helium-production");
      assert.equal(model.title, "Helium production");
      assert.deepEqual(
        panels.filter((p) => p.type === "row").map((p) => p.title),
        ["Mumbai (ap-south-1)", "Singapore (ap-southeast-1)"],
      );
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, "panel ids are unique");
    });

    it("queries each region through its own CloudWatch and X-Ray data sources", () => {
      for (const region of ["ap-south-1", "ap-southeast-1"]) {
        for (const p of inRegion(region)) {
          const kind = p.type === "table" ? "xray" : "cloudwatch";
          assert.equal(p.datasource?.uid, grafanaDataSourceUid(kind, region), p.title);
          for (const t of p.targets ?? []) assert.equal(t.datasource.uid, grafanaDataSourceUid(kind, region));
        }
      }
    });

    it("shows requests, target 5xx and load-balancer 5xx of the region's ALB", () => {
      const panel = titled("ap-south-1", "Requests and 5xx");
      assert.deepEqual(
        panel.targets?.map((t) => [t.namespace, t.metricName, t.dimensions, t.statistic, t.period]),
        ["RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"].map((m) => [
          "AWS/ApplicationELB",
          m,
          { LoadBalancer: "app/helium-alb-mum/aaaa" },
          "Sum",
          "60",
        ]),
      );
    });

    it("shows p95 latency and healthy targets per load-balanced service, with the alarm lines", () => {
      const latency = titled("ap-south-1", "p95 latency");
      assert.deepEqual(
        latency.targets?.map((t) => [t.metricName, t.dimensions, t.statistic, t.label]),
        [
          [
            "TargetResponseTime",
            { TargetGroup: "targetgroup/helium-backend-mum/1111", LoadBalancer: "app/helium-alb-mum/aaaa" },
            "p95",
            "backend",
          ],
        ],
      );
      assert.deepEqual(
        latency.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value),
        [null, 0.8],
      );
      const healthy = titled("ap-south-1", "Healthy targets");
      assert.deepEqual(
        healthy.targets?.map((t) => [t.metricName, t.statistic, t.label]),
        [["HealthyHostCount", "Minimum", "backend"]],
      );
      assert.deepEqual(
        healthy.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value),
        [null, 1],
      );
    });

    it("shows running tasks, CPU and memory of every service on its cluster", () => {
      for (const [fragment, namespace, metricName, statistic] of [
        ["Running tasks", "ECS/ContainerInsights", "RunningTaskCount", "Minimum"],
        ["CPU %", "AWS/ECS", "CPUUtilization", "Average"],
        ["Memory %", "AWS/ECS", "MemoryUtilization", "Average"],
      ]) {
        const panel = titled("ap-south-1", fragment);
        assert.deepEqual(
          panel.targets?.map((t) => [t.namespace, t.metricName, t.dimensions, t.statistic]),
          MUMBAI.services.map((s) => [
            namespace,
            metricName,
            { ClusterName: s.clusterName, ServiceName: s.serviceName },
            statistic,
          ]),
        );
      }
    });

    it("shows the work queue's oldest message and the DLQ, and the environment's recent traces", () => {
      assert.deepEqual(
        titled("ap-south-1", "oldest message").targets?.map((t) => t.dimensions),
        [{ QueueName: "helium-work-mum" }],
      );
      assert.deepEqual(
        titled("ap-south-1", "Dead-letter").targets?.map((t) => t.dimensions),
        [{ QueueName: "helium-work-dlq-mum" }],
      );
      const traces = titled("ap-south-1", "recent traces");
      assert.equal(traces.type, "table");
      assert.deepEqual(
        traces.targets?.map((t) => [t.queryType, t.query]),
        [["getTraceSummaries", 'annotation.environment = "production"']],
      );
    });

    it("leaves out the service panels of a region without services", () => {
      const titles = inRegion("ap-southeast-1").map((p) => p.title);
      assert.ok(
        titles.every((t) => !/per service/.test(t)),
        titles.join("; "),
      );
      assert.ok(titles.some((t) => t.includes("Requests and 5xx")));
      assert.ok(panels.every((p) => p.type === "row" || (p.targets ?? []).length > 0));
    });

    it("lays panels out on the 24-column grid without overlaps", () => {
      const cells = new Set<string>();
      for (const p of panels) {
        const { x, y, w, h } = p.gridPos;
        assert.ok(x >= 0 && w > 0 && x + w <= 24, `${p.title}: x ${x} w ${w}`);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            assert.ok(!cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`);
            cells.add(`${i},${j}`);
          }
      }
    });
  });
});
