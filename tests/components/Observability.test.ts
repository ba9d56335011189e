import { oneOf, policyDocument, recorder, resourcesOfType, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import { HeliumRegion } from "../../components/HeliumRegion";
import {
  Observability,
  type ObservabilityArgs,
  type ObservedService,
  SAMPLING_RULE_PRIORITY,
} from "../../components/Observability";
import { servicesSchema, withDefaultServices } from "../../config/services";
import { defaultVpcCidr } from "../../config/stacks";
import { TARGET_5XX_RATE_EXPRESSION, redisMemberClusterIds } from "../../lib/alarms";
import { type Environment, clusterName, ecsServiceName } from "../../lib/naming";
import { regionInfo } from "../../lib/regions";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-outputs";
import type { RecordedResource } from "../../offline/types";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SERVICES = servicesSchema.parse(withDefaultServices(undefined));
const EMAILS = ["ops@he2.site", "oncall@he2.site"];

function heliumRegion(environment: Environment, region: string): HeliumRegion {
  const info = regionInfo(region);
  return new HeliumRegion(`${environment}-${info.short}`, {
    environment,
    network: {
      region,
      vpcCidr: defaultVpcCidr(environment, region),
      availabilityZones: info.azLetters.slice(0, 2).map((l) => region + l),
      natGateways: "single",
      interfaceEndpoints: [],
      trafficDialPercent: 100,
    },
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    certificateDomain: "he2.site",
    services: SERVICES,
    appOrigins: ["https://he2.site"],
  });
}

/** Services as HeliumService exposes them: backend and frontend behind the ALB, the worker not. */
function services(environment: Environment, region: HeliumRegion): ObservedService[] {
  return [
    {
      name: "backend",
      serviceName: ecsServiceName(environment, "backend"),
      clusterName: region.clusterName,
      targetGroupArnSuffix: `targetgroup/helium-backend-${regionInfo(region.region).short}/0123456789abcdef`,
    },
    {
      name: "worker",
      serviceName: ecsServiceName(environment, "worker"),
      clusterName: region.clusterName,
      targetGroupArnSuffix: undefined,
    },
    {
      name: "frontend",
      serviceName: ecsServiceName(environment, "frontend"),
      clusterName: region.clusterName,
      targetGroupArnSuffix: `targetgroup/helium-frontend-${regionInfo(region.region).short}/fedcba9876543210`,
    },
  ];
}

/**
 * HeliumRegions are built once for the whole file (they are large); each test resets the recorder and
 * builds only Observability components over them, under unique names.
 */
let regions: { mumbai: HeliumRegion; singapore: HeliumRegion; stagingMumbai: HeliumRegion };
let counter = 0;

/** Production in Mumbai (home) and Singapore, the given observability settings. */
function production(overrides: Partial<Omit<ObservabilityArgs, "environment" | "regions">> = {}) {
  const { mumbai, singapore } = regions;
  const observability = new Observability(`production-observability-${++counter}`, {
    environment: "production",
    regions: [
      { region: mumbai, services: services("production", mumbai) },
      { region: singapore, services: services("production", singapore) },
    ],
    alerts: { emails: EMAILS },
    ...overrides,
  });
  return { mumbai, singapore, observability };
}

function alarm(name: string): RecordedResource {
  const matches = resourcesOfType(ALARM).filter((a) => a.inputs.name === name);
  assert.equal(matches.length, 1, `expected one alarm named ${name}, found ${matches.length}`);
  return matches[0];
}

describe("Observability", () => {
  before(async () => {
    regions = {
      mumbai: heliumRegion("production", "ap-south-1"),
      singapore: heliumRegion("production", "ap-southeast-1"),
      stagingMumbai: heliumRegion("staging", "ap-south-1"),
    };
    await settle();
  });

  describe("Observability (production, Mumbai + Singapore, defaults)", () => {
    let built: ReturnType<typeof production>;
    let topicArn: Record<string, string>;
    let kmsKeyArn: Record<string, string>;
    let albSuffix: Record<string, string>;

    before(async () => {
      recorder.reset();
      built = production();
      await settle();
      topicArn = {};
      kmsKeyArn = {};
      albSuffix = {};
      for (const r of [built.mumbai, built.singapore]) {
        topicArn[r.region] = await valueOf(built.observability.regions[r.region].topicArn);
        kmsKeyArn[r.region] = await valueOf(r.kmsKeyArn);
        albSuffix[r.region] = await valueOf(r.albArnSuffix);
      }
    });

    it("creates one alert topic per region, encrypted with that region's customer-managed key", () => {
      const topics = resourcesOfType(TOPIC);
      assert.deepEqual(topics.map((t) => t.region).sort(), ["ap-south-1", "ap-southeast-1"]);
      for (const t of topics) {
        assert.equal(t.inputs.kmsMasterKeyId, kmsKeyArn[t.region as string]);
        assert.equal(t.inputs.name, `helium-alerts-${regionInfo(t.region as string).short}`);
      }
    });

    it("lets only this account's CloudWatch alarms of the topic's region publish, and only over TLS", () => {
      const policies = resourcesOfType("aws:sns/topicPolicy:TopicPolicy");
      assert.equal(policies.length, 2);
      for (const p of policies) {
        const region = p.region as string;
        assert.equal(p.inputs.arn, topicArn[region]);
        const [allow, deny, ...rest] = policyDocument(p.inputs.policy).Statement;
        assert.equal(rest.length, 0);
        assert.deepEqual(allow, {
          Sid: "CloudWatchAlarmsOfThisAccountPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topicArn[region],
          Condition: {
            StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT_ID}:alarm:*` },
          },
        });
        assert.equal(deny.Effect, "Deny");
        assert.deepEqual(deny.Resource, [topicArn[region]]);
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
      }
    });

    it("subscribes every configured address by email to every region's topic", () => {
      const subscriptions = resourcesOfType("aws:sns/topicSubscription:TopicSubscription");
      const seen = subscriptions
        .map(
          (s) =>
            `${s.region} ${s.inputs.topic === topicArn[s.region as string]} ${s.inputs.protocol} ${s.inputs.endpoint}`,
        )
        .sort();
      const expected = ["ap-south-1", "ap-southeast-1"]
        .flatMap((r) => EMAILS.map((e) => `${r} true email ${e}`))
        .sort();
      assert.deepEqual(seen, expected);
    });

    for (const [metric, metricName] of [
      ["cpu", "CPUUtilization"],
      ["memory", "MemoryUtilization"],
    ] as const) {
      it(`alarms on ${metric} above 70 % per service and region (ECS dimensions, Average, 3 × 60 s), to the region's topic on ALARM and OK`, async () => {
        for (const r of [built.mumbai, built.singapore]) {
          const short = regionInfo(r.region).short;
          for (const service of ["backend", "worker", "frontend"]) {
            const a = alarm(`helium-${service}-${metric}-high-${short}`);
            assert.equal(a.region, r.region);
            assert.equal(a.inputs.namespace, "AWS/ECS");
            assert.equal(a.inputs.metricName, metricName);
            assert.deepEqual(a.inputs.dimensions, {
              ClusterName: clusterName("production", r.region),
              ServiceName: ecsServiceName("production", service),
            });
            assert.equal(a.inputs.statistic, "Average");
            assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
            assert.equal(a.inputs.threshold, 70);
            assert.equal(a.inputs.period, 60);
            assert.equal(a.inputs.evaluationPeriods, 3);
            assert.equal(a.inputs.datapointsToAlarm, 3);
            assert.equal(a.inputs.treatMissingData, "notBreaching");
            assert.deepEqual(a.inputs.alarmActions, [topicArn[r.region]]);
            assert.deepEqual(a.inputs.okActions, [topicArn[r.region]]);
          }
        }
      });

      it(`sends a ${metric} recovery notice when a service is back under 60 %, as its own alarm to the same topic`, () => {
        for (const r of [built.mumbai, built.singapore]) {
          const short = regionInfo(r.region).short;
          for (const service of ["backend", "worker", "frontend"]) {
            const a = alarm(`helium-${service}-${metric}-recovered-${short}`);
            assert.equal(a.region, r.region);
            assert.equal(a.inputs.namespace, "AWS/ECS");
            assert.equal(a.inputs.metricName, metricName);
            assert.deepEqual(a.inputs.dimensions, {
              ClusterName: clusterName("production", r.region),
              ServiceName: ecsServiceName("production", service),
            });
            assert.equal(a.inputs.statistic, "Average");
            assert.equal(a.inputs.comparisonOperator, "LessThanThreshold");
            assert.equal(a.inputs.threshold, 60);
            assert.equal(a.inputs.period, 60);
            assert.equal(a.inputs.evaluationPeriods, 3);
            assert.equal(a.inputs.treatMissingData, "ignore");
            assert.deepEqual(a.inputs.alarmActions, [topicArn[r.region]]);
            assert.equal(a.inputs.okActions, undefined, "rising above the recovery level is not a notice");
            assert.match(String(a.inputs.alarmDescription), /^RECOVERY NOTICE .*back under 60%/);
          }
        }
      });
    }

    it("alarms on unhealthy targets only for services with a target group, with TargetGroup and LoadBalancer dimensions", () => {
      for (const r of [built.mumbai, built.singapore]) {
        const short = regionInfo(r.region).short;
        for (const service of ["backend", "frontend"]) {
          const a = alarm(`helium-${service}-unhealthy-targets-${short}`);
          assert.equal(a.region, r.region);
          assert.equal(a.inputs.namespace, "AWS/ApplicationELB");
          assert.equal(a.inputs.metricName, "UnHealthyHostCount");
          assert.deepEqual(a.inputs.dimensions, {
            TargetGroup: services("production", r).find((s) => s.name === service)?.targetGroupArnSuffix,
            LoadBalancer: albSuffix[r.region],
          });
          assert.equal(a.inputs.statistic, "Maximum");
          assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
          assert.equal(a.inputs.threshold, 0);
          assert.equal(a.inputs.treatMissingData, "notBreaching");
          assert.deepEqual(a.inputs.alarmActions, [topicArn[r.region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[r.region]]);
        }
      }
      assert.equal(
        resourcesOfType(ALARM).filter((a) => String(a.inputs.name).startsWith("helium-worker-unhealthy")).length,
        0,
      );
    });

    it("alarms on the ALB target 5xx rate as 5xx / requests × 100 > 5 %, per region", () => {
      for (const r of [built.mumbai, built.singapore]) {
        const a = alarm(`helium-alb-5xx-rate-${regionInfo(r.region).short}`);
        assert.equal(a.region, r.region);
        const queries = a.inputs.metricQueries as Array<Record<string, unknown>>;
        const byId = Object.fromEntries(queries.map((q) => [q.id, q]));
        for (const [id, metricName] of [
          ["errors", "HTTPCode_Target_5XX_Count"],
          ["requests", "RequestCount"],
        ]) {
          assert.deepEqual(byId[id].metric, {
            namespace: "AWS/ApplicationELB",
            metricName,
            dimensions: { LoadBalancer: albSuffix[r.region] },
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
        assert.deepEqual(a.inputs.alarmActions, [topicArn[r.region]]);
        assert.deepEqual(a.inputs.okActions, [topicArn[r.region]]);
      }
    });

    it("alarms when the DLQ holds any message (one datapoint) and when the oldest work message is older than 900 s", async () => {
      for (const r of [built.mumbai, built.singapore]) {
        const short = regionInfo(r.region).short;
        const dlq = alarm(`helium-dlq-not-empty-${short}`);
        assert.equal(dlq.region, r.region);
        assert.equal(dlq.inputs.namespace, "AWS/SQS");
        assert.equal(dlq.inputs.metricName, "ApproximateNumberOfMessagesVisible");
        assert.deepEqual(dlq.inputs.dimensions, { QueueName: await valueOf(r.dlqName) });
        assert.equal(dlq.inputs.statistic, "Maximum");
        assert.equal(dlq.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(dlq.inputs.threshold, 0);
        assert.equal(dlq.inputs.evaluationPeriods, 1);
        assert.equal(dlq.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(dlq.inputs.alarmActions, [topicArn[r.region]]);
        assert.deepEqual(dlq.inputs.okActions, [topicArn[r.region]]);

        const age = alarm(`helium-queue-age-${short}`);
        assert.equal(age.region, r.region);
        assert.equal(age.inputs.namespace, "AWS/SQS");
        assert.equal(age.inputs.metricName, "ApproximateAgeOfOldestMessage");
        assert.deepEqual(age.inputs.dimensions, { QueueName: await valueOf(r.queueName) });
        assert.notEqual(await valueOf(r.queueName), await valueOf(r.dlqName));
        assert.equal(age.inputs.statistic, "Maximum");
        assert.equal(age.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(age.inputs.threshold, 900);
        assert.equal(age.inputs.evaluationPeriods, 3);
        assert.equal(age.inputs.treatMissingData, "notBreaching");
        assert.deepEqual(age.inputs.alarmActions, [topicArn[r.region]]);
        assert.deepEqual(age.inputs.okActions, [topicArn[r.region]]);
      }
    });

    it("alarms on Redis engine CPU, memory and evictions over every member cache cluster (CacheClusterId)", async () => {
      for (const r of [built.mumbai, built.singapore]) {
        const short = regionInfo(r.region).short;
        const members = redisMemberClusterIds(await valueOf(r.redisReplicationGroupId));
        for (const [kind, metricName, stat, combine, threshold] of [
          ["redis-cpu", "EngineCPUUtilization", "Average", "MAX", 75],
          ["redis-memory", "DatabaseMemoryUsagePercentage", "Average", "MAX", 80],
          ["redis-evictions", "Evictions", "Sum", "SUM", 0],
        ] as const) {
          const a = alarm(`helium-${kind}-${short}`);
          assert.equal(a.region, r.region);
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
          assert.deepEqual(a.inputs.alarmActions, [topicArn[r.region]]);
          assert.deepEqual(a.inputs.okActions, [topicArn[r.region]]);
        }
      }
    });

    it("creates exactly the expected alarms: 4 per service, unhealthy targets per routed service, 6 per region", () => {
      const perRegion = 3 * 4 + 2 + 6;
      assert.equal(resourcesOfType(ALARM).length, 2 * perRegion);
      const names = resourcesOfType(ALARM).map((a) => a.inputs.name);
      assert.equal(new Set(names).size, names.length, "alarm names are unique");
    });

    it("builds one dashboard in the home region whose widgets cover every region", () => {
      const dashboard = oneOf("aws:cloudwatch/dashboard:Dashboard");
      assert.equal(dashboard.region, "ap-south-1");
      assert.equal(dashboard.inputs.dashboardName, "helium-production");
      const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
        widgets: Array<{ type: string; properties: Record<string, unknown> }>;
      };
      for (const r of [built.mumbai, built.singapore]) {
        const widgets = body.widgets.filter((w) => w.type === "metric" && w.properties.region === r.region);
        const text = JSON.stringify(widgets);
        assert.ok(widgets.length >= 9, `${r.region}: ${widgets.length} widgets`);
        for (const w of widgets) assert.ok(String(w.properties.title).includes(regionInfo(r.region).displayName));
        for (const needle of [
          clusterName("production", r.region),
          albSuffix[r.region],
          "TargetResponseTime",
          "HTTPCode_Target_5XX_Count",
          "EngineCPUUtilization",
        ]) {
          assert.ok(text.includes(needle), `${r.region} dashboard mentions ${needle}`);
        }
      }
    });

    it("creates a Managed Grafana workspace in the first region that offers it, with AWS SSO and CloudWatch + X-Ray", async () => {
      const workspace = oneOf("aws:grafana/workspace:Workspace");
      assert.equal(workspace.region, "ap-southeast-1", "Mumbai (home) does not offer Managed Grafana");
      assert.equal(workspace.inputs.accountAccessType, "CURRENT_ACCOUNT");
      assert.deepEqual(workspace.inputs.authenticationProviders, ["AWS_SSO"]);
      assert.equal(workspace.inputs.permissionType, "SERVICE_MANAGED");
      assert.deepEqual(workspace.inputs.dataSources, ["CLOUDWATCH", "XRAY"]);
      const role = oneOf("aws:iam/role:Role", /grafana/);
      assert.equal(workspace.inputs.roleArn, role.outputs.arn);
      assert.equal(await valueOf(built.observability.grafanaRoleArn!), role.outputs.arn);
    });

    it("gives Grafana its own role, trusted by grafana.amazonaws.com in this account, with read-only permissions", () => {
      const role = oneOf("aws:iam/role:Role", /grafana/);
      assert.deepEqual(policyDocument(role.inputs.assumeRolePolicy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "grafana.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      const policies = resourcesOfType("aws:iam/rolePolicy:RolePolicy").filter(
        (p) => p.inputs.role === role.outputs.name,
      );
      assert.equal(policies.length, 1);
      assert.equal(
        resourcesOfType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length,
        0,
        "no managed policies",
      );
      const statements = policyDocument(policies[0].inputs.policy).Statement;
      const readOnly =
        /^(cloudwatch|logs|xray|ec2|tag):(Get|List|Describe|BatchGet|StartQuery|StopQuery|FilterLogEvents)/;
      for (const s of statements) {
        assert.equal(s.Effect, "Allow");
        for (const action of s.Action as string[]) {
          assert.ok(!action.includes("*"), `${action} is explicit`);
          assert.match(action, readOnly);
          assert.ok(!/^xray:(Put|Create|Update|Delete)/.test(action), `${action} is not an X-Ray write`);
        }
      }
      const wildcard = statements.filter((s) => s.Resource === "*");
      assert.deepEqual(
        wildcard.map((s) => s.Sid),
        ["MetricsReadNoResourceLevelPermissions"],
      );
      for (const scoped of statements.filter((s) => s.Resource !== "*")) {
        for (const arn of [scoped.Resource].flat() as string[])
          assert.ok(arn.includes(`:${MOCK_ACCOUNT_ID}:`), `${arn} is pinned to the account`);
      }
    });

    it("creates an X-Ray sampling rule and group for the environment in each region, and no X-Ray write permission", () => {
      const rules = resourcesOfType("aws:xray/samplingRule:SamplingRule");
      const groups = resourcesOfType("aws:xray/group:Group");
      assert.deepEqual(rules.map((r) => r.region).sort(), ["ap-south-1", "ap-southeast-1"]);
      assert.deepEqual(groups.map((g) => g.region).sort(), ["ap-south-1", "ap-southeast-1"]);
      for (const rule of rules) {
        assert.equal(rule.inputs.ruleName, "helium-production");
        assert.equal(rule.inputs.fixedRate, 0.05);
        assert.equal(rule.inputs.reservoirSize, 1);
        assert.equal(rule.inputs.priority, SAMPLING_RULE_PRIORITY);
        assert.equal(rule.inputs.serviceName, "*");
        assert.equal(rule.inputs.version, 1);
      }
      for (const group of groups) {
        assert.equal(group.inputs.groupName, "helium-production");
        assert.equal(group.inputs.filterExpression, 'annotation.environment = "production"');
      }
      const observabilityUrn = oneOf("helium:index:Observability").urn;
      const ownPolicies = resourcesOfType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.parent === observabilityUrn);
      assert.ok(ownPolicies.every((p) => !String(p.inputs.policy).includes("xray:Put")));
    });

    it("parents every resource it creates to the component", () => {
      const component = oneOf("helium:index:Observability");
      const mine = recorder.resources.filter((r) =>
        [ALARM, TOPIC, "aws:grafana/workspace:Workspace", "aws:xray/group:Group"].includes(r.type),
      );
      assert.ok(mine.length > 0);
      for (const r of mine) {
        assert.equal(r.parent, component.urn, `${r.name}`);
      }
    });
  });

  describe("Observability (configured thresholds)", () => {
    beforeEach(() => recorder.reset());

    it("takes thresholds, periods and the Grafana region and tracing from config", async () => {
      production({
        alerts: {
          emails: [],
          cpu: { thresholdPercent: 85, recoveryPercent: 50 },
          memory: { thresholdPercent: 90 },
          periodSeconds: 300,
          evaluationPeriods: 2,
          alb5xxPercent: 2,
          queueOldestMessageSeconds: 120,
        },
        grafana: { region: "us-east-1" },
        tracing: { samplingRate: 0.5, reservoirPerSecond: 3, groupFilterExpression: "fault = true" },
      });
      await settle();
      const cpu = alarm("helium-backend-cpu-high-sg");
      assert.equal(cpu.inputs.threshold, 85);
      assert.equal(cpu.inputs.period, 300);
      assert.equal(cpu.inputs.evaluationPeriods, 2);
      assert.equal(alarm("helium-backend-cpu-recovered-sg").inputs.threshold, 50);
      assert.equal(alarm("helium-backend-memory-high-mum").inputs.threshold, 90);
      assert.equal(alarm("helium-backend-memory-recovered-mum").inputs.threshold, 60);
      assert.equal(alarm("helium-alb-5xx-rate-mum").inputs.threshold, 2);
      assert.equal(alarm("helium-queue-age-mum").inputs.threshold, 120);
      assert.equal(resourcesOfType("aws:sns/topicSubscription:TopicSubscription").length, 0);
      assert.equal(oneOf("aws:grafana/workspace:Workspace").region, "us-east-1");
      assert.ok(
        resourcesOfType("aws:xray/samplingRule:SamplingRule").every(
          (r) => r.inputs.fixedRate === 0.5 && r.inputs.reservoirSize === 3,
        ),
      );
      assert.ok(resourcesOfType("aws:xray/group:Group").every((g) => g.inputs.filterExpression === "fault = true"));
    });

    it("creates no Grafana workspace or role when disabled", async () => {
      production({ grafana: { enabled: false } });
      await settle();
      assert.equal(resourcesOfType("aws:grafana/workspace:Workspace").length, 0);
      assert.equal(resourcesOfType("aws:iam/role:Role").filter((r) => /grafana/.test(r.name)).length, 0);
    });

    it("names staging resources apart from production", async () => {
      const mumbai = regions.stagingMumbai;
      new Observability("staging-observability", {
        environment: "staging",
        regions: [{ region: mumbai, services: services("staging", mumbai) }],
        grafana: { region: "ap-southeast-1" },
      });
      await settle();
      assert.equal(oneOf(TOPIC).inputs.name, "helium-alerts-staging-mum");
      assert.ok(resourcesOfType(ALARM).some((a) => a.inputs.name === "helium-backend-cpu-high-staging-mum"));
      assert.equal(oneOf("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, "helium-staging");
      assert.equal(oneOf("aws:xray/samplingRule:SamplingRule").inputs.ruleName, "helium-staging");
    });
  });

  describe("Observability (bad arguments)", () => {
    beforeEach(() => recorder.reset());

    async function rejects(args: (mumbai: HeliumRegion) => Partial<ObservabilityArgs>, message: RegExp): Promise<void> {
      const mumbai = regions.mumbai;
      const before = recorder.resources.length;
      assert.throws(
        () =>
          new Observability(`bad-${++counter}`, {
            environment: "production",
            regions: [{ region: mumbai, services: services("production", mumbai) }],
            grafana: { enabled: false },
            ...args(mumbai),
          }),
        message,
      );
      await settle();
      const created = recorder.resources.slice(before).filter((r) => r.type !== "helium:index:Observability");
      assert.deepEqual(
        created.map((r) => r.type),
        [],
        "nothing is registered before validation",
      );
    }

    it("rejects an invalid email, naming the key and value", () =>
      rejects(
        () => ({ alerts: { emails: ["ops@he2.site", "not-an-email"] } }),
        /alerts\.emails\[1\] "not-an-email" is invalid: must be an email address/,
      ));
    it("rejects a threshold above 100", () =>
      rejects(
        () => ({ alerts: { cpu: { thresholdPercent: 120 } } }),
        /alerts\.cpu\.thresholdPercent 120 is invalid: must be a percentage in 0-100/,
      ));
    it("rejects a negative threshold", () =>
      rejects(
        () => ({ alerts: { alb5xxPercent: -1 } }),
        /alerts\.alb5xxPercent -1 is invalid: must be a percentage in 0-100/,
      ));
    it("rejects a recovery level at the alarm threshold", () =>
      rejects(
        () => ({ alerts: { memory: { thresholdPercent: 70, recoveryPercent: 70 } } }),
        /alerts\.memory\.recoveryPercent 70 is invalid: must be below thresholdPercent \(70\)/,
      ));
    it("rejects a Grafana region without Managed Grafana, listing the allowed regions", () =>
      rejects(
        () => ({ grafana: { region: "ap-south-1" } }),
        /grafana\.region "ap-south-1" is invalid: Amazon Managed Grafana is not offered there; offered in: ap-southeast-1, us-east-1/,
      ));
    it("rejects Grafana by default when no environment region offers it", () =>
      rejects(
        () => ({ grafana: {} }),
        /grafana\.region is unset and none of this environment's regions \(ap-south-1\) offers Amazon Managed Grafana; set grafana\.region to one of ap-southeast-1/,
      ));
    it("rejects no regions", () => rejects(() => ({ regions: [] }), /regions is empty/));
    it("rejects a region listed twice", () =>
      rejects((m) => ({ regions: [{ region: m }, { region: m }] }), /regions\[1\] repeats region ap-south-1/));
    it("rejects a service listed twice in a region", () =>
      rejects(
        (m) => ({ regions: [{ region: m, services: [...services("production", m), services("production", m)[0]] }] }),
        /regions\[0\] \(ap-south-1\) lists service backend twice/,
      ));
  });
});
