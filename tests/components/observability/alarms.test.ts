import { recorder, resourcesOfType, settle, valueOf } from "../../harness/component";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { TARGET_5XX_RATE_EXPRESSION, redisMemberClusterIds } from "../../../lib/alarms";
import { regionInfo } from "../../../lib/regions";
import type { RecordedResource } from "../../../offline/types";
import {
  ALARM,
  EMAILS,
  MIN_TASKS,
  clusterNameOf,
  environmentArgs,
  foundation,
  serviceNameOf,
  targetGroupSuffix,
} from "./fixtures";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";

const albOf = (region: string) => valueOf(pulumi.output(foundation("production", region).albArnSuffix));
const countNamed = (name: string) => resourcesOfType(ALARM).filter((a) => a.inputs.name === name).length;

function alarm(name: string): RecordedResource {
  const matches = resourcesOfType(ALARM).filter((a) => a.inputs.name === name);
  assert.equal(matches.length, 1, `expected one alarm named ${name}, found ${matches.length}`);
  return matches[0];
}

describe("Observability alarms", () => {
  describe("production, Mumbai + Singapore, defaults", () => {
    const topicArn: Record<string, string> = {};

    before(async () => {
      recorder.reset();
      const observability = new Observability(
        "production-observability-alarms",
        environmentArgs("production", [MUMBAI, SINGAPORE], { alerts: { emails: EMAILS } }),
      );
      await settle();
      for (const region of [MUMBAI, SINGAPORE])
        topicArn[region] = await valueOf(observability.regions[region].topicArn);
    });

    for (const [metric, metricName] of [
      ["cpu", "CPUUtilization"],
      ["memory", "MemoryUtilization"],
    ] as const) {
      it(`alarms on ${metric} above 70 % per service and region (ECS dimensions, Average, 3 × 60 s), to the region's topic on ALARM and OK`, () => {
        for (const region of [MUMBAI, SINGAPORE]) {
          const short = regionInfo(region).short;
          for (const service of ["backend", "worker", "frontend"]) {
            const a = alarm(`helium-${service}-${metric}-high-${short}`);
            assert.equal(a.region, region);
            assert.equal(a.inputs.namespace, "AWS/ECS");
            assert.equal(a.inputs.metricName, metricName);
            assert.deepEqual(a.inputs.dimensions, {
              ClusterName: clusterNameOf("production", region),
              ServiceName: serviceNameOf("production", service),
            });
            assert.equal(a.inputs.statistic, "Average");
            assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
            assert.equal(a.inputs.threshold, 70);
            assert.equal(a.inputs.period, 60);
            assert.equal(a.inputs.evaluationPeriods, 3);
            assert.equal(a.inputs.datapointsToAlarm, 3);
            assert.equal(a.inputs.treatMissingData, "notBreaching");
            assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
            assert.deepEqual(a.inputs.okActions, [topicArn[region]]);
          }
        }
      });

      it(`sends a ${metric} recovery notice when a service is back under 60 %, as its own alarm to the same topic`, () => {
        for (const region of [MUMBAI, SINGAPORE]) {
          const short = regionInfo(region).short;
          for (const service of ["backend", "worker", "frontend"]) {
            const a = alarm(`helium-${service}-${metric}-recovered-${short}`);
            assert.equal(a.region, region);
            assert.equal(a.inputs.namespace, "AWS/ECS");
            assert.equal(a.inputs.metricName, metricName);
            assert.deepEqual(a.inputs.dimensions, {
              ClusterName: clusterNameOf("production", region),
              ServiceName: serviceNameOf("production", service),
            });
            assert.equal(a.inputs.statistic, "Average");
            assert.equal(a.inputs.comparisonOperator, "LessThanThreshold");
            assert.equal(a.inputs.threshold, 60);
            assert.equal(a.inputs.period, 60);
            assert.equal(a.inputs.evaluationPeriods, 3);
            assert.equal(a.inputs.treatMissingData, "ignore");
            assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
            assert.equal(a.inputs.okActions, undefined, "rising above the recovery level is not a notice");
            assert.match(String(a.inputs.alarmDescription), /^RECOVERY NOTICE .*back under 60%/);
          }
        }
      });
    }

    it("alarms on unhealthy targets only for services with a target group, with TargetGroup and LoadBalancer dimensions", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        for (const service of ["backend", "frontend"]) {
          const a = alarm(`helium-${service}-unhealthy-targets-${short}`);
          assert.equal(a.region, region);
          assert.equal(a.inputs.namespace, "AWS/ApplicationELB");
          assert.equal(a.inputs.metricName, "UnHealthyHostCount");
          assert.deepEqual(a.inputs.dimensions, {
            TargetGroup: targetGroupSuffix(service, region),
            LoadBalancer: await valueOf(pulumi.output(foundation("production", region).albArnSuffix)),
          });
          assert.equal(a.inputs.statistic, "Maximum");
          assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
          assert.equal(a.inputs.threshold, 0);
          assert.equal(a.inputs.treatMissingData, "notBreaching");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[region]]);
        }
      }
      assert.equal(
        resourcesOfType(ALARM).filter((a) => String(a.inputs.name).startsWith("helium-worker-unhealthy")).length,
        0,
      );
    });

    it("alarms on the ALB target 5xx rate as 5xx / requests × 100 > 5 %, per region", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const a = alarm(`helium-alb-5xx-rate-${regionInfo(region).short}`);
        assert.equal(a.region, region);
        const queries = a.inputs.metricQueries as Array<Record<string, unknown>>;
        const byId = Object.fromEntries(queries.map((q) => [q.id, q]));
        for (const [id, metricName] of [
          ["errors", "HTTPCode_Target_5XX_Count"],
          ["requests", "RequestCount"],
        ]) {
          assert.deepEqual(byId[id].metric, {
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: { LoadBalancer: await valueOf(pulumi.output(foundation("production", region).albArnSuffix)) },
            period: 60,
            stat: "Sum",
          });
          assert.equal(byId[id].returnData, false);
        }
        assert.equal(byId.rate.expression, TARGET_5XX_RATE_EXPRESSION);
        assert.equal(byId.rate.returnData, true);
        assert.equal(a.inputs.metricName, undefined, "a metric-math alarm names no single metric");
        assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(a.inputs.threshold, 5);
        assert.equal(a.inputs.evaluationPeriods, 3);
        assert.equal(a.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
        assert.deepEqual(a.inputs.okActions, [topicArn[region]]);
      }
    });

    it("alarms when the DLQ holds any message (one datapoint) and when the oldest work message is older than 900 s", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        const r = foundation("production", region);
        const dlq = alarm(`helium-dlq-not-empty-${short}`);
        assert.equal(dlq.region, region);
        assert.equal(dlq.inputs.namespace, "AWS/SQS");
        assert.equal(dlq.inputs.metricName, "ApproximateNumberOfMessagesVisible");
        assert.deepEqual(dlq.inputs.dimensions, { QueueName: await valueOf(pulumi.output(r.dlqName)) });
        assert.equal(dlq.inputs.statistic, "Maximum");
        assert.equal(dlq.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(dlq.inputs.threshold, 0);
        assert.equal(dlq.inputs.evaluationPeriods, 1);
        assert.equal(dlq.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(dlq.inputs.alarmActions, [topicArn[region]]);
        assert.deepEqual(dlq.inputs.okActions, [topicArn[region]]);

        const age = alarm(`helium-queue-age-${short}`);
        assert.equal(age.region, region);
        assert.equal(age.inputs.namespace, "AWS/SQS");
        assert.equal(age.inputs.metricName, "ApproximateAgeOfOldestMessage");
        assert.deepEqual(age.inputs.dimensions, { QueueName: await valueOf(pulumi.output(r.queueName)) });
        assert.equal(age.inputs.statistic, "Maximum");
        assert.equal(age.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(age.inputs.threshold, 900);
        assert.equal(age.inputs.evaluationPeriods, 3);
        assert.equal(age.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(age.inputs.alarmActions, [topicArn[region]]);
        assert.deepEqual(age.inputs.okActions, [topicArn[region]]);
      }
    });

    it("alarms on Redis engine CPU, memory and evictions over every member cache cluster (CacheClusterId)", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        const members = redisMemberClusterIds(
          await valueOf(pulumi.output(foundation("production", region).redisReplicationGroupId)),
        );
        for (const [kind, metricName, stat, combine, threshold] of [
          ["redis-cpu", "EngineCPUUtilization", "Average", "MAX", 75],
          ["redis-memory", "DatabaseMemoryUsagePercentage", "Average", "MAX", 80],
          ["redis-evictions", "Evictions", "Sum", "SUM", 0],
        ] as const) {
          const a = alarm(`helium-${kind}-${short}`);
          assert.equal(a.region, region);
          const queries = a.inputs.metricQueries as Array<{
            id: string;
            expression?: string;
            returnData: boolean;
            metric?: Record<string, unknown>;
          }>;
          const metrics = queries.filter((q) => q.metric !== undefined);
          assert.deepEqual(
            metrics.map((q) => (q.metric?.dimensions as Record<string, string> | undefined)?.CacheClusterId),
            members,
          );
          for (const q of metrics) {
            assert.equal(q.metric?.namespace, "AWS/ElastiCache");
            assert.equal(q.metric?.metricName, metricName);
            assert.equal(q.metric?.stat, stat);
            assert.equal(q.metric?.period, 60);
            assert.equal(q.returnData, false);
          }
          const [result] = queries.filter((q) => q.expression !== undefined);
          assert.equal(result.expression, `${combine}([${metrics.map((q) => q.id).join(", ")}])`);
          assert.equal(result.returnData, true);
          assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
          assert.equal(a.inputs.threshold, threshold);
          assert.equal(a.inputs.treatMissingData, "notBreaching");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[region]]);
        }
      }
    });

    it("alarms on load-balancer-made 5xx (HTTPCode_ELB_5XX_Count, Sum) above 5 per period, per region, with an OK notice", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const a = alarm(`helium-alb-elb-5xx-${regionInfo(region).short}`);
        assert.equal(a.region, region);
        assert.equal(a.inputs.namespace, "AWS/ApplicationELB");
        assert.equal(a.inputs.metricName, "HTTPCode_ELB_5XX_Count");
        assert.deepEqual(a.inputs.dimensions, { LoadBalancer: await albOf(region) });
        assert.equal(a.inputs.statistic, "Sum");
        assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(a.inputs.threshold, 5);
        assert.equal(a.inputs.period, 60);
        assert.equal(a.inputs.evaluationPeriods, 3);
        assert.equal(a.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
        assert.deepEqual(a.inputs.okActions, [topicArn[region]], "recovery notice");
      }
    });

    it("alarms when a target group has no healthy target (HealthyHostCount Minimum < 1), per balanced service and region, with an OK notice", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        for (const service of ["backend", "frontend"]) {
          const a = alarm(`helium-${service}-no-healthy-targets-${short}`);
          assert.equal(a.region, region);
          assert.equal(a.inputs.namespace, "AWS/ApplicationELB");
          assert.equal(a.inputs.metricName, "HealthyHostCount");
          assert.deepEqual(a.inputs.dimensions, {
            TargetGroup: targetGroupSuffix(service, region),
            LoadBalancer: await albOf(region),
          });
          assert.equal(a.inputs.statistic, "Minimum");
          assert.equal(a.inputs.comparisonOperator, "LessThanThreshold");
          assert.equal(a.inputs.threshold, 1);
          assert.equal(a.inputs.period, 60);
          assert.equal(a.inputs.evaluationPeriods, 3);
          assert.equal(a.inputs.treatMissingData, "notBreaching");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[region]], "recovery notice");
        }
        assert.equal(countNamed(`helium-worker-no-healthy-targets-${short}`), 0, "the worker has no target group");
      }
    });

    it("alarms on p95 latency (TargetResponseTime, extended statistic p95) above 1 s per balanced service and region, with an OK notice", async () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        for (const service of ["backend", "frontend"]) {
          const a = alarm(`helium-${service}-latency-p95-${short}`);
          assert.equal(a.region, region);
          assert.equal(a.inputs.namespace, "AWS/ApplicationELB");
          assert.equal(a.inputs.metricName, "TargetResponseTime");
          assert.deepEqual(a.inputs.dimensions, {
            TargetGroup: targetGroupSuffix(service, region),
            LoadBalancer: await albOf(region),
          });
          assert.equal(a.inputs.extendedStatistic, "p95");
          assert.equal(a.inputs.statistic, undefined, "statistic and extendedStatistic exclude each other");
          assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
          assert.equal(a.inputs.threshold, 1);
          assert.equal(a.inputs.period, 60);
          assert.equal(a.inputs.evaluationPeriods, 3);
          assert.equal(a.inputs.evaluateLowSampleCountPercentiles, "ignore");
          assert.equal(a.inputs.treatMissingData, "notBreaching");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[region]], "recovery notice");
        }
        assert.equal(countNamed(`helium-worker-latency-p95-${short}`), 0, "the worker has no target group");
      }
    });

    it("alarms when fewer tasks run than a service's scaling minimum (ECS/ContainerInsights RunningTaskCount), per service and region, with an OK notice", () => {
      for (const region of [MUMBAI, SINGAPORE]) {
        const short = regionInfo(region).short;
        for (const service of ["backend", "worker", "frontend"] as const) {
          const a = alarm(`helium-${service}-tasks-below-min-${short}`);
          assert.equal(a.region, region);
          assert.equal(a.inputs.namespace, "ECS/ContainerInsights");
          assert.equal(a.inputs.metricName, "RunningTaskCount");
          assert.deepEqual(a.inputs.dimensions, {
            ClusterName: clusterNameOf("production", region),
            ServiceName: serviceNameOf("production", service),
          });
          assert.equal(a.inputs.statistic, "Minimum");
          assert.equal(a.inputs.comparisonOperator, "LessThanThreshold");
          assert.equal(a.inputs.threshold, MIN_TASKS[service]);
          assert.equal(a.inputs.period, 60);
          assert.equal(a.inputs.evaluationPeriods, 3);
          assert.equal(a.inputs.treatMissingData, "breaching", "no metric means no running task");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[region]], "recovery notice");
        }
      }
    });

    it("sends every alarm to its region's topic, and an OK (recovery) notice from every alarm but the seed's recovery alarms", () => {
      for (const a of resourcesOfType(ALARM)) {
        const region = a.region as string;
        assert.deepEqual(a.inputs.alarmActions, [topicArn[region]], String(a.inputs.name));
        const recoveryAlarm = String(a.inputs.name).includes("-recovered-");
        assert.deepEqual(a.inputs.okActions, recoveryAlarm ? undefined : [topicArn[region]], String(a.inputs.name));
      }
    });

    it("states no metric, namespace, period or statistic at the top of a metric-math alarm (the provider rejects them next to metricQueries)", () => {
      const math = resourcesOfType(ALARM).filter((a) => a.inputs.metricQueries !== undefined);
      assert.equal(math.length, 2 * 4, "5xx rate and three Redis alarms per region");
      for (const a of math) {
        for (const key of ["metricName", "namespace", "period", "statistic", "extendedStatistic", "dimensions"]) {
          assert.equal(a.inputs[key], undefined, `${String(a.inputs.name)} sets ${key}`);
        }
        assert.equal(a.inputs.evaluationPeriods, 3);
        assert.equal(a.inputs.datapointsToAlarm, 3);
      }
      for (const a of resourcesOfType(ALARM).filter((x) => x.inputs.metricQueries === undefined)) {
        assert.equal(a.inputs.period, 60, `${String(a.inputs.name)} states its period`);
      }
    });

    it("creates exactly the expected alarms per region: 4 utilisation and 1 running-tasks per service, 3 per target group, 7 region-wide", () => {
      const perRegion = 3 * 4 + 3 + 2 * 3 + 7;
      assert.equal(resourcesOfType(ALARM).length, 2 * perRegion);
      const names = resourcesOfType(ALARM).map((a) => a.inputs.name);
      assert.equal(new Set(names).size, names.length, "alarm names are unique");
    });
  });

  describe("settings and service minimums", () => {
    beforeEach(() => recorder.reset());

    it("takes the p95 latency and load-balancer 5xx thresholds from alerts", async () => {
      new Observability(
        "production-observability-thresholds",
        environmentArgs("production", [MUMBAI], {
          alerts: { latencyP95Seconds: 0.25, loadBalancer5xxCount: 0 },
          grafana: { enabled: false },
        }),
      );
      await settle();
      assert.equal(alarm("helium-backend-latency-p95-mum").inputs.threshold, 0.25);
      assert.equal(alarm("helium-frontend-latency-p95-mum").inputs.threshold, 0.25);
      assert.equal(alarm("helium-alb-elb-5xx-mum").inputs.threshold, 0);
    });

    it("creates no running-tasks alarm for a service without a minimum, or with a minimum of 0", async () => {
      const args = environmentArgs("production", [MUMBAI], { grafana: { enabled: false } });
      const [backend, worker, frontend] = args.regions[0].services ?? [];
      new Observability("production-observability-minimums", {
        ...args,
        regions: [
          {
            region: args.regions[0].region,
            services: [
              { ...backend, minTasks: 3 },
              { ...worker, minTasks: 0 },
              { ...frontend, minTasks: undefined },
            ],
          },
        ],
      });
      await settle();
      assert.equal(alarm("helium-backend-tasks-below-min-mum").inputs.threshold, 3);
      assert.equal(countNamed("helium-worker-tasks-below-min-mum"), 0);
      assert.equal(countNamed("helium-frontend-tasks-below-min-mum"), 0);
    });
  });
});
