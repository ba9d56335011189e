import * as assert from "node:assert/strict";
import { MAX_REDIS_MEMBERS, alarmName, alarmWindowProblems, redisMemberClusterIds } from "../../lib/alarms";
import { type DashboardRegion, dashboardBody } from "../../lib/dashboard";
import { DASHBOARD_THRESHOLDS as THRESHOLDS } from "../fixtures/dashboard";

function region(code: string, short: string, services: DashboardRegion["services"]): DashboardRegion {
  return {
    region: code,
    albArnSuffix: `app/helium-alb-${short}/abc${short}`,
    queueName: `helium-work-${short}`,
    dlqName: `helium-work-dlq-${short}`,
    redisReplicationGroupId: `helium-redis-${short}`,
    services,
  };
}

const MUMBAI = region("ap-south-1", "mum", [
  {
    name: "backend",
    serviceName: "helium-backend-service",
    clusterName: "helium-mumbai-cluster",
    targetGroupArnSuffix: "targetgroup/helium-backend-mum/aaaa",
    minTasks: 2,
  },
  { name: "worker", serviceName: "helium-worker-service", clusterName: "helium-mumbai-cluster", minTasks: 1 },
  {
    name: "frontend",
    serviceName: "helium-frontend-service",
    clusterName: "helium-mumbai-cluster",
    targetGroupArnSuffix: "targetgroup/helium-frontend-mum/bbbb",
  },
]);
const SINGAPORE = region("ap-southeast-1", "sg", [
  {
    name: "backend",
    serviceName: "helium-backend-service",
    clusterName: "helium-singapore-cluster",
    targetGroupArnSuffix: "targetgroup/helium-backend-sg/cccc",
    minTasks: 3,
  },
]);
const balanced = (r: DashboardRegion) => r.services.filter((s) => s.targetGroupArnSuffix !== undefined);
const horizontal = (w: Widget) =>
  (w.properties.annotations as { horizontal: Array<{ label: string; value: number }> } | undefined)?.horizontal ?? [];

type Widget = ReturnType<typeof dashboardBody>["widgets"][number];
const metricsOf = (w: Widget) => w.properties.metrics as Array<Array<string | Record<string, unknown>>>;
const titled = (widgets: readonly Widget[], region: string, fragment: string) => {
  const found = widgets.filter((w) => w.properties.region === region && String(w.properties.title).includes(fragment));
  assert.equal(found.length, 1, `one ${fragment} widget in ${region}`);
  return found[0];
};

describe("lib/alarms", () => {
  it("names a replication group's member cache clusters <group>-001 … and covers every member HeliumRegion allows", () => {
    assert.deepEqual(redisMemberClusterIds("helium-redis-sg", 2), ["helium-redis-sg-001", "helium-redis-sg-002"]);
    const all = redisMemberClusterIds("helium-redis-sg");
    assert.equal(all.length, MAX_REDIS_MEMBERS);
    assert.equal(all[MAX_REDIS_MEMBERS - 1], `helium-redis-sg-00${MAX_REDIS_MEMBERS}`);
  });

  it("names alarms after the seed's helium-<thing>[-<env>]-<region short>", () => {
    assert.equal(alarmName("production", "ap-southeast-1", "backend-cpu-high"), "helium-backend-cpu-high-sg");
    assert.equal(alarmName("staging", "ap-south-1", "dlq-not-empty"), "helium-dlq-not-empty-staging-mum");
  });

  describe("alarmWindowProblems (PutMetricAlarm Period and EvaluationPeriods)", () => {
    const keys = (period: number, evaluations: number) => alarmWindowProblems(period, evaluations).map((p) => p.key);

    it("accepts multiples of 60 up to one day in total below a one-hour period, seven days from one hour", () => {
      for (const [period, evaluations] of [
        [60, 1],
        [60, 1440],
        [300, 288],
        [3540, 24],
        [3600, 168],
        [86400, 7],
        [604800, 1],
      ]) {
        assert.deepEqual(keys(period, evaluations), [], `${period} × ${evaluations}`);
      }
    });

    it("rejects one evaluation period past the window, naming evaluationPeriods and its maximum", () => {
      for (const [period, evaluations, most] of [
        [60, 1441, 1440],
        [3000, 100, 28],
        [3540, 25, 24],
        [3600, 169, 168],
        [86400, 8, 7],
      ]) {
        const problems = alarmWindowProblems(period, evaluations);
        assert.deepEqual(
          problems.map((p) => [p.key, p.value]),
          [["evaluationPeriods", evaluations]],
        );
        assert.match(problems[0].allowed, new RegExp(`^at most ${most} with periodSeconds ${period}:`));
      }
    });

    it("rejects periods that are not multiples of 60 (10-30 are for high-resolution metrics only), and past seven days", () => {
      for (const period of [0, 10, 20, 30, 59, 61, 90, -60, 60.5, 604860]) {
        assert.deepEqual(keys(period, 1), ["periodSeconds"], `period ${period}`);
      }
    });

    it("rejects fewer than one evaluation period", () => {
      assert.deepEqual(keys(60, 0), ["evaluationPeriods"]);
      assert.deepEqual(keys(60, 1.5), ["evaluationPeriods"]);
    });
  });

  describe("dashboardBody", () => {
    const body = dashboardBody("production", [MUMBAI, SINGAPORE], THRESHOLDS, 60);
    const metricWidgets = body.widgets.filter((w) => w.type === "metric");

    it("starts each region with a header naming it, and every metric widget names its region", () => {
      const headers = body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown);
      assert.deepEqual(headers, [
        "## Helium production: Mumbai (ap-south-1)",
        "## Helium production: Singapore (ap-southeast-1)",
      ]);
      for (const w of metricWidgets) {
        const place = w.properties.region === "ap-south-1" ? "Mumbai (ap-south-1)" : "Singapore (ap-southeast-1)";
        assert.ok(String(w.properties.title).startsWith(place), String(w.properties.title));
        assert.equal(w.properties.period, 60);
      }
      assert.deepEqual([...new Set(metricWidgets.map((w) => w.properties.region))], ["ap-south-1", "ap-southeast-1"]);
    });

    it("shows ECS CPU and memory per service with the service's own cluster, and the alarm thresholds", () => {
      for (const [r, metric, fragment, threshold] of [
        [MUMBAI, "CPUUtilization", "ECS CPU", 70],
        [MUMBAI, "MemoryUtilization", "ECS memory", 75],
        [SINGAPORE, "CPUUtilization", "ECS CPU", 70],
      ] as const) {
        const w = titled(body.widgets, r.region, fragment);
        assert.deepEqual(
          metricsOf(w),
          r.services.map((s) => [
            "AWS/ECS",
            metric,
            "ClusterName",
            s.clusterName,
            "ServiceName",
            s.serviceName,
            { label: s.name },
          ]),
        );
        assert.equal(w.properties.stat, "Average");
        assert.deepEqual(
          (w.properties.annotations as { horizontal: Array<{ value: number }> }).horizontal.map((h) => h.value),
          [threshold],
        );
      }
    });

    it("shows ALB requests, p95 latency and 5xx of the region's load balancer", () => {
      for (const r of [MUMBAI, SINGAPORE]) {
        const requests = titled(body.widgets, r.region, "ALB requests");
        assert.deepEqual(metricsOf(requests)[0].slice(0, 4), [
          "AWS/ApplicationELB",
          "RequestCount",
          "LoadBalancer",
          r.albArnSuffix,
        ]);
        assert.equal(requests.properties.stat, "Sum");
        const latency = titled(body.widgets, r.region, "latency p95");
        assert.deepEqual(metricsOf(latency)[0].slice(0, 4), [
          "AWS/ApplicationELB",
          "TargetResponseTime",
          "LoadBalancer",
          r.albArnSuffix,
        ]);
        assert.equal(latency.properties.stat, "p95");
        const errors = titled(body.widgets, r.region, "ALB 5xx");
        assert.deepEqual(
          metricsOf(errors).map((m) => m[1]),
          ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"],
        );
        assert.ok(metricsOf(errors).every((m) => m[3] === r.albArnSuffix));
      }
    });

    it("shows p95 latency per load-balanced service (TargetGroup + LoadBalancer) with the latency alarm line", () => {
      for (const r of [MUMBAI, SINGAPORE]) {
        const latency = titled(body.widgets, r.region, "latency p95");
        assert.deepEqual(
          metricsOf(latency).slice(1),
          balanced(r).map((s) => [
            "AWS/ApplicationELB",
            "TargetResponseTime",
            "TargetGroup",
            s.targetGroupArnSuffix,
            "LoadBalancer",
            r.albArnSuffix,
            { label: s.name },
          ]),
        );
        assert.deepEqual(
          horizontal(latency).map((h) => h.value),
          [0.8],
        );
        assert.deepEqual(
          horizontal(titled(body.widgets, r.region, "ALB 5xx")).map((h) => h.value),
          [4],
        );
      }
    });

    it("shows healthy targets per load-balanced service (Minimum) with the alarm line at 1", () => {
      for (const r of [MUMBAI, SINGAPORE]) {
        const healthy = titled(body.widgets, r.region, "Healthy targets");
        assert.equal(healthy.properties.stat, "Minimum");
        assert.deepEqual(
          metricsOf(healthy),
          balanced(r).map((s) => [
            "AWS/ApplicationELB",
            "HealthyHostCount",
            "TargetGroup",
            s.targetGroupArnSuffix,
            "LoadBalancer",
            r.albArnSuffix,
            { label: s.name },
          ]),
        );
        assert.deepEqual(
          horizontal(healthy).map((h) => h.value),
          [1],
        );
      }
    });

    it("shows running tasks per service (Container Insights) with each service's minimum", () => {
      const running = titled(body.widgets, MUMBAI.region, "Running tasks");
      assert.equal(running.properties.stat, "Minimum");
      assert.deepEqual(
        metricsOf(running),
        MUMBAI.services.map((s) => [
          "ECS/ContainerInsights",
          "RunningTaskCount",
          "ClusterName",
          s.clusterName,
          "ServiceName",
          s.serviceName,
          { label: s.name },
        ]),
      );
      assert.deepEqual(
        horizontal(running).map((h) => [h.label, h.value]),
        [
          ["backend minimum (alarm below)", 2],
          ["worker minimum (alarm below)", 1],
        ],
      );
      assert.deepEqual(
        horizontal(titled(body.widgets, SINGAPORE.region, "Running tasks")).map((h) => h.value),
        [3],
      );
    });

    it("shows the work queue and the DLQ of the region, each under its own name", () => {
      for (const r of [MUMBAI, SINGAPORE]) {
        const queue = titled(body.widgets, r.region, "Work queue");
        assert.ok(metricsOf(queue).every((m) => m[0] === "AWS/SQS" && m[2] === "QueueName" && m[3] === r.queueName));
        assert.deepEqual(
          metricsOf(queue).map((m) => m[1]),
          ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"],
        );
        const dlq = titled(body.widgets, r.region, "Dead-letter");
        assert.deepEqual(
          metricsOf(dlq).map((m) => m.slice(0, 4)),
          [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", r.dlqName]],
        );
      }
    });

    it("shows Redis CPU, memory and evictions per member cache cluster", () => {
      for (const r of [MUMBAI, SINGAPORE]) {
        const members = redisMemberClusterIds(r.redisReplicationGroupId);
        const usage = titled(body.widgets, r.region, "Redis engine CPU");
        assert.deepEqual(
          metricsOf(usage)
            .filter((m) => m[1] === "EngineCPUUtilization")
            .map((m) => m[3]),
          members,
        );
        assert.deepEqual(
          metricsOf(usage)
            .filter((m) => m[1] === "DatabaseMemoryUsagePercentage")
            .map((m) => m[3]),
          members,
        );
        assert.ok(metricsOf(usage).every((m) => m[0] === "AWS/ElastiCache" && m[2] === "CacheClusterId"));
        const evictions = titled(body.widgets, r.region, "Redis evictions");
        assert.deepEqual(
          metricsOf(evictions).map((m) => m[3]),
          members,
        );
        assert.equal(evictions.properties.stat, "Sum");
      }
    });

    it("lays widgets out on the 24-column grid without overlaps", () => {
      const cells = new Set<string>();
      for (const w of body.widgets) {
        assert.ok(w.x >= 0 && w.x + w.width <= 24, `x ${w.x} width ${w.width}`);
        for (let x = w.x; x < w.x + w.width; x++) {
          for (let y = w.y; y < w.y + w.height; y++) {
            const cell = `${x},${y}`;
            assert.ok(!cells.has(cell), `overlap at ${cell}`);
            cells.add(cell);
          }
        }
      }
    });

    it("leaves out ECS widgets of a region without services (PutDashboard rejects empty metric lists)", () => {
      const empty = dashboardBody("staging", [region("ap-south-1", "mum", [])], THRESHOLDS, 300);
      const titles = empty.widgets.filter((w) => w.type === "metric").map((w) => String(w.properties.title));
      assert.ok(titles.every((t) => !t.includes("ECS") && !t.includes("Healthy") && !t.includes("Running")));
      assert.ok(titles.some((t) => t.includes("ALB requests")));
      assert.ok(empty.widgets.every((w) => w.type === "text" || metricsOf(w).length > 0));
    });
  });
});
