import { oneOf, policyDocument, recorder, resourcesOfType, settle, valueOf } from "../harness/component";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
  Observability,
  type ObservabilityArgs,
  SAMPLING_RULE_PRIORITY,
  observabilityProblems,
} from "../../components/observability/Observability";
import { InputError, type Problem } from "../../lib/input-error";
import { regionInfo } from "../../lib/regions";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-context";
import type { RecordedResource } from "../../offline/types";
import { ALARM, EMAILS, TOPIC, clusterNameOf, environmentArgs, foundation, services } from "./observability/fixtures";

const MUMBAI = "ap-south-1";
const SINGAPORE = "ap-southeast-1";
const VIRGINIA = "us-east-1";
let counter = 0;

function alarm(name: string): RecordedResource {
  const matches = resourcesOfType(ALARM).filter((a) => a.inputs.name === name);
  assert.equal(matches.length, 1, `expected one alarm named ${name}, found ${matches.length}`);
  return matches[0];
}

/** Production in Mumbai (home) and Singapore with the given settings; a unique component name per call. */
function production(input: Parameters<typeof environmentArgs>[2] = { alerts: { emails: EMAILS } }): Observability {
  return new Observability(
    `production-observability-${++counter}`,
    environmentArgs("production", [MUMBAI, SINGAPORE], input),
  );
}

/** The URN without its stack and project: `<type chain>::<logical name>`. */
const urnTail = (urn: string) => urn.replace(/^urn:pulumi:[^:]+::[^:]+::/, "");

describe("Observability", () => {
  describe("production, Mumbai + Singapore, defaults", () => {
    let observability: Observability;
    const topicArn: Record<string, string> = {};

    before(async () => {
      recorder.reset();
      observability = production();
      await settle();
      for (const region of [MUMBAI, SINGAPORE])
        topicArn[region] = await valueOf(observability.regions[region].topicArn);
    });

    it("creates one alert topic per region, encrypted with that region's customer-managed key", async () => {
      const topics = resourcesOfType(TOPIC);
      assert.deepEqual(topics.map((t) => t.region).sort(), [MUMBAI, SINGAPORE]);
      for (const t of topics) {
        const region = t.region as string;
        assert.equal(t.inputs.kmsMasterKeyId, await valueOf(pulumi.output(foundation("production", region).kmsKeyArn)));
        assert.equal(t.inputs.name, `helium-alerts-${regionInfo(region).short}`);
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
      const seen = resourcesOfType("aws:sns/topicSubscription:TopicSubscription")
        .map(
          (s) =>
            `${s.region} ${s.inputs.topic === topicArn[s.region as string]} ${String(s.inputs.protocol)} ${String(s.inputs.endpoint)}`,
        )
        .sort();
      const expected = [MUMBAI, SINGAPORE].flatMap((r) => EMAILS.map((e) => `${r} true email ${e}`)).sort();
      assert.deepEqual(seen, expected);
    });

    it("builds one dashboard in the home region whose widgets cover every region", async () => {
      const dashboard = oneOf("aws:cloudwatch/dashboard:Dashboard");
      assert.equal(dashboard.region, MUMBAI);
      assert.equal(dashboard.inputs.dashboardName, "helium-production");
      const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
        widgets: Array<{ type: string; properties: Record<string, unknown> }>;
      };
      for (const region of [MUMBAI, SINGAPORE]) {
        const widgets = body.widgets.filter((w) => w.type === "metric" && w.properties.region === region);
        const text = JSON.stringify(widgets);
        assert.ok(widgets.length >= 9, `${region}: ${widgets.length} widgets`);
        for (const w of widgets) assert.ok(String(w.properties.title).includes(regionInfo(region).displayName));
        for (const needle of [
          clusterNameOf("production", region),
          await valueOf(pulumi.output(foundation("production", region).albArnSuffix)),
          "TargetResponseTime",
          "HTTPCode_Target_5XX_Count",
          "EngineCPUUtilization",
        ]) {
          assert.ok(text.includes(needle), `${region} dashboard mentions ${needle}`);
        }
      }
    });

    it("creates an X-Ray sampling rule and group for the environment in each region, and no X-Ray write permission", () => {
      const rules = resourcesOfType("aws:xray/samplingRule:SamplingRule");
      const groups = resourcesOfType("aws:xray/group:Group");
      assert.deepEqual(rules.map((r) => r.region).sort(), [MUMBAI, SINGAPORE]);
      assert.deepEqual(groups.map((g) => g.region).sort(), [MUMBAI, SINGAPORE]);
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
      assert.ok(
        resourcesOfType("aws:iam/rolePolicy:RolePolicy").every((p) => !String(p.inputs.policy).includes("xray:Put")),
      );
    });

    it("parents every resource it creates directly to the component", () => {
      const component = oneOf("helium:index:Observability");
      const children = recorder.resources.filter((r) => r !== component);
      assert.ok(children.length > 40);
      for (const r of children) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
    });
  });

  describe("URNs across the split into modules", () => {
    /** Observability URNs of a committed stack, as recorded before the restructure (tests/fixtures/urns). */
    function baseline(stack: string): string[] {
      const text = fs.readFileSync(path.join(__dirname, "..", "fixtures", "urns", `${stack}.txt`), "utf8");
      return text
        .split("\n")
        .filter((line) => line.includes("helium:index:Observability"))
        .map(urnTail)
        .sort();
    }

    for (const [stack, regions, grafana] of [
      ["production", [MUMBAI, SINGAPORE, VIRGINIA], {}],
      ["staging", [MUMBAI], { region: SINGAPORE }],
    ] as const) {
      it(`${stack}: every resource of the baseline keeps its URN (type, parent and logical name)`, async () => {
        recorder.reset();
        new Observability(
          `${stack}-observability`,
          environmentArgs(stack, regions, { alerts: { emails: ["oncall@he2.site"] }, grafana }),
        );
        await settle();
        const now = new Set(recorder.resources.map((r) => urnTail(r.urn)));
        const missing = baseline(stack).filter((urn) => !now.has(urn));
        assert.deepEqual(missing, [], "baseline URNs no longer produced");
        assert.ok(baseline(stack).length > 20, "the baseline has Observability resources");
      });
    }
  });

  describe("configured settings", () => {
    beforeEach(() => recorder.reset());

    it("takes thresholds, periods, the Grafana region and tracing from its arguments", async () => {
      production({
        alerts: {
          cpu: { thresholdPercent: 85, recoveryPercent: 50 },
          memory: { thresholdPercent: 90 },
          periodSeconds: 300,
          evaluationPeriods: 2,
          alb5xxPercent: 2,
          queueOldestMessageSeconds: 120,
        },
        grafana: { region: VIRGINIA },
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
      assert.equal(oneOf("aws:grafana/workspace:Workspace").region, VIRGINIA);
      assert.ok(
        resourcesOfType("aws:xray/samplingRule:SamplingRule").every(
          (r) => r.inputs.fixedRate === 0.5 && r.inputs.reservoirSize === 3,
        ),
      );
      assert.ok(resourcesOfType("aws:xray/group:Group").every((g) => g.inputs.filterExpression === "fault = true"));
    });

    it("places the workspace where the resolve step chose (grafana.workspaceRegion)", async () => {
      const args = environmentArgs("production", [MUMBAI, SINGAPORE]);
      new Observability(`production-observability-${++counter}`, {
        ...args,
        grafana: { ...args.grafana, workspaceRegion: VIRGINIA },
      });
      await settle();
      assert.equal(oneOf("aws:grafana/workspace:Workspace").region, VIRGINIA);
    });

    it("creates no Grafana workspace or role when disabled", async () => {
      production({ grafana: { enabled: false } });
      await settle();
      assert.equal(resourcesOfType("aws:grafana/workspace:Workspace").length, 0);
      assert.equal(resourcesOfType("aws:iam/role:Role").length, 0);
    });

    it("names staging resources apart from production", async () => {
      new Observability(
        "staging-observability",
        environmentArgs("staging", [MUMBAI], { grafana: { region: SINGAPORE } }),
      );
      await settle();
      assert.equal(oneOf(TOPIC).inputs.name, "helium-alerts-staging-mum");
      assert.ok(resourcesOfType(ALARM).some((a) => a.inputs.name === "helium-backend-cpu-high-staging-mum"));
      assert.equal(oneOf("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, "helium-staging");
      assert.equal(oneOf("aws:xray/samplingRule:SamplingRule").inputs.ruleName, "helium-staging");
    });

    it("takes any environment name as data (dev), naming everything after it", async () => {
      new Observability("dev-observability", environmentArgs("dev", [SINGAPORE]));
      await settle();
      assert.equal(oneOf(TOPIC).inputs.name, "helium-alerts-dev-sg");
      assert.ok(resourcesOfType(ALARM).some((a) => a.inputs.name === "helium-worker-memory-high-dev-sg"));
      assert.equal(oneOf("aws:iam/role:Role").inputs.path, "/helium/dev/");
      assert.equal(oneOf("aws:grafana/workspace:Workspace").inputs.name, "helium-dev");
      assert.equal(oneOf("aws:xray/group:Group").inputs.filterExpression, 'annotation.environment = "dev"');
    });
  });

  describe("bad arguments", () => {
    beforeEach(() => recorder.reset());

    /** The arguments of a valid production environment in Mumbai, Grafana off, with `patch` applied. */
    function args(patch: (valid: ObservabilityArgs) => Partial<ObservabilityArgs>): ObservabilityArgs {
      const valid = environmentArgs("production", [MUMBAI], { grafana: { enabled: false } });
      return { ...valid, ...patch(valid) };
    }

    /** Constructs with bad arguments: one InputError naming the component, nothing registered. */
    async function rejected(bad: ObservabilityArgs): Promise<readonly Problem[]> {
      const name = `bad-${++counter}`;
      let error: unknown;
      try {
        new Observability(name, bad);
      } catch (e) {
        error = e;
      }
      await settle();
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.equal(error.source, `Observability ${name}`);
      assert.deepEqual(recorder.resources, [], "nothing is registered, not even the component");
      return error.problems;
    }

    const keys = (problems: readonly Problem[]) => problems.map((p) => p.key);

    it("accepts the valid arguments these cases start from", () => {
      assert.deepEqual(observabilityProblems(args(() => ({}))), []);
    });

    for (const [what, patch, key, value, allowed] of [
      [
        "an environment name that is not one",
        () => ({ environment: "Prod_1" }),
        "environment",
        "Prod_1",
        /lower-case letters/,
      ],
      ["no regions", () => ({ regions: [] }), "regions", [], /at least one region/],
      [
        "an unknown region",
        () => ({ regions: [{ region: { ...foundation("production", MUMBAI), region: "mars-1" } }] }),
        "regions[0].region.region",
        "mars-1",
        /a known AWS region: ap-south-1, ap-southeast-1/,
      ],
      [
        "a region listed twice",
        (v: ObservabilityArgs) => ({ regions: [v.regions[0], { region: foundation("production", MUMBAI) }] }),
        "regions[1].region.region",
        MUMBAI,
        /regions\[0\] is ap-south-1/,
      ],
      [
        "a service listed twice in a region",
        () => ({
          regions: [
            {
              region: foundation("production", MUMBAI),
              services: [...services("production", MUMBAI), services("production", MUMBAI)[0]],
            },
          ],
        }),
        "regions[0].services[3].name",
        "backend",
        /services\[0\]/,
      ],
      [
        "a service name that cannot be part of an alarm name",
        () => ({
          regions: [
            {
              region: foundation("production", MUMBAI),
              services: [{ ...services("production", MUMBAI)[0], name: "Back End" }],
            },
          ],
        }),
        "regions[0].services[0].name",
        "Back End",
        /lower-case letters, digits and hyphens/,
      ],
      [
        "a service minimum that is not a task count",
        () => ({
          regions: [
            {
              region: foundation("production", MUMBAI),
              services: [{ ...services("production", MUMBAI)[0], minTasks: -1 }],
            },
          ],
        }),
        "regions[0].services[0].minTasks",
        -1,
        /whole number of tasks, 0 or more/,
      ],
      [
        "a p95 latency threshold of 0 s",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, latencyP95Seconds: 0 } }),
        "alerts.latencyP95Seconds",
        0,
        /more than 0 \(seconds\)/,
      ],
      [
        "an invalid e-mail address",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, emails: ["ops@he2.site", "not-an-email"] } }),
        "alerts.emails[1]",
        "not-an-email",
        /email address/,
      ],
      [
        "a threshold above 100 %",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, cpu: { thresholdPercent: 120, recoveryPercent: 60 } } }),
        "alerts.cpu.thresholdPercent",
        120,
        /percentage in 0-100/,
      ],
      [
        "a recovery level at the alarm threshold",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, memory: { thresholdPercent: 70, recoveryPercent: 70 } } }),
        "alerts.memory.recoveryPercent",
        70,
        /below thresholdPercent \(70\)/,
      ],
      [
        "a period CloudWatch cannot evaluate on standard-resolution metrics",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, periodSeconds: 30 } }),
        "alerts.periodSeconds",
        30,
        /multiple of 60/,
      ],
      [
        "an evaluation window longer than CloudWatch allows (3000 s × 100 > 86400 s)",
        (v: ObservabilityArgs) => ({ alerts: { ...v.alerts, periodSeconds: 3000, evaluationPeriods: 100 } }),
        "alerts.evaluationPeriods",
        100,
        /at most 28 with periodSeconds 3000/,
      ],
      [
        "a Grafana region without Managed Grafana",
        (v: ObservabilityArgs) => ({ grafana: { ...v.grafana, enabled: true, region: MUMBAI } }),
        "grafana.region",
        MUMBAI,
        /not offered there; offered in: ap-southeast-1, us-east-1/,
      ],
      [
        "Grafana on with no environment region that offers it and no grafana.region",
        (v: ObservabilityArgs) => ({ grafana: { ...v.grafana, enabled: true } }),
        "grafana.region",
        undefined,
        /none of this environment's regions \(ap-south-1\) offers Amazon Managed Grafana/,
      ],
      [
        "a resolved workspace region without Managed Grafana",
        (v: ObservabilityArgs) => ({ grafana: { ...v.grafana, enabled: true, workspaceRegion: MUMBAI } }),
        "grafana.workspaceRegion",
        MUMBAI,
        /offers Amazon Managed Grafana: ap-southeast-1/,
      ],
      [
        "a sampling rate above 1",
        (v: ObservabilityArgs) => ({ tracing: { ...v.tracing, samplingRate: 2 } }),
        "tracing.samplingRate",
        2,
        /1/,
      ],
    ] as const) {
      it(`rejects ${what}, naming ${key}`, async () => {
        const problems = await rejected(args(patch));
        assert.deepEqual(keys(problems), [key]);
        assert.deepEqual(problems[0].value, value);
        assert.match(problems[0].allowed, allowed);
      });
    }

    it("lists every problem in one error, with key, value and what is allowed", async () => {
      const problems = await rejected(
        args((v) => ({
          environment: "-x-",
          regions: [],
          alerts: { ...v.alerts, alb5xxPercent: -1, periodSeconds: 90 },
          tracing: { ...v.tracing, serviceName: "" },
        })),
      );
      assert.deepEqual(keys(problems).sort(), [
        "alerts.alb5xxPercent",
        "alerts.periodSeconds",
        "environment",
        "regions",
        "tracing.serviceName",
      ]);
      let message = "";
      try {
        new Observability(
          "bad-message",
          args(() => ({ environment: "-x-" })),
        );
      } catch (e) {
        message = (e as Error).message;
      }
      assert.match(
        message,
        /^Invalid input for Observability bad-message \(1 problem\); nothing was created:\n {2}- environment: "-x-" — allowed: /,
      );
    });
  });
});
