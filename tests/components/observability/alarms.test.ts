import { recorder, resourcesOfType, settle, valueOf } from "../../harness/component";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { TARGET_5XX_RATE_EXPRESSION, redisMemberClusterIds } from "../../../lib/alarms";
import { regionInfo } from "../../../lib/regions";
import type { RecordedResource } from "../../harness/types";
import {
  ALARM,
  EMAILS,
  clusterNameOf,
  environmentArgs,
  foundation,
  serviceNameOf,
  targetGroupSuffix,
} from "./fixtures";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";

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
            metrics.map((q) => (q.metric?.dimensions as Record<string, string>).CacheClusterId),
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

    it("creates exactly the expected alarms: 4 per service, unhealthy targets per routed service, 6 per region", () => {
      const perRegion = 3 * 4 + 2 + 6;
      assert.equal(resourcesOfType(ALARM).length, 2 * perRegion);
      const names = resourcesOfType(ALARM).map((a) => a.inputs.name);
      assert.equal(new Set(names).size, names.length, "alarm names are unique");
    });
  });
});
