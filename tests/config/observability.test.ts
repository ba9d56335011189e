import * as assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import {
  MANAGED_GRAFANA_REGIONS,
  alertsSchema,
  grafanaRegionFor,
  grafanaSchema,
  tracingSchema,
} from "../../config/observability";
import { InputError } from "../../lib/input-error";
import { KNOWN_REGION_CODES, REGIONS } from "../../lib/regions";

/** A valid production config map plus the given `helium:*` keys (objects are JSON, as Pulumi hands them over). */
function productionConfig(extra: Record<string, unknown>): Record<string, string> {
  const config: Record<string, string> = {
    "helium:role": "environment",
    "helium:production": "true",
    "aws:region": "ap-south-1",
    "helium:sharedStack": "shared",
    "helium:imageTag": "v1",
    "helium:regions": JSON.stringify([{ region: "ap-south-1" }, { region: "ap-southeast-1" }]),
  };
  for (const [key, value] of Object.entries(extra)) config[`helium:${key}`] = JSON.stringify(value);
  return config;
}

const parse = (stack: string, config: Record<string, string>) => parseStackConfig({ stack, config });

function configError(extra: Record<string, unknown>): InputError {
  try {
    parse("production", productionConfig(extra));
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error;
  }
  assert.fail("expected an InputError");
}

describe("config/observability", () => {
  it("defaults to the seed: 70 % alarms, 60 % recovery, 3 × 60 s, no subscribers, Grafana on, 5 % sampling", () => {
    const parsed = parse("production", productionConfig({}));
    assert.equal(parsed.role, "environment");
    if (parsed.role !== "environment") return;
    const { alerts, grafana, tracing } = parsed.config;
    assert.deepEqual(alerts.cpu, { thresholdPercent: 70, recoveryPercent: 60 });
    assert.deepEqual(alerts.memory, { thresholdPercent: 70, recoveryPercent: 60 });
    assert.equal(alerts.periodSeconds, 60);
    assert.equal(alerts.evaluationPeriods, 3);
    assert.deepEqual(alerts.emails, []);
    assert.equal(alerts.latencyP95Seconds, 1);
    assert.equal(alerts.loadBalancer5xxCount, 5);
    assert.deepEqual(grafana, { enabled: true, provision: true, adminUserIds: [], adminGroupIds: [] });
    assert.equal(tracing.samplingRate, 0.05);
    assert.equal(tracing.serviceName, "*");
  });

  it("accepts configured addresses and thresholds", () => {
    const parsed = parse(
      "production",
      productionConfig({
        alerts: { emails: ["ops@he2.site"], cpu: { thresholdPercent: 80, recoveryPercent: 65 } },
        grafana: { region: "us-east-1" },
      }),
    );
    if (parsed.role !== "environment") return assert.fail("an environment expected");
    assert.deepEqual(parsed.config.alerts.emails, ["ops@he2.site"]);
    assert.deepEqual(parsed.config.alerts.cpu, { thresholdPercent: 80, recoveryPercent: 65 });
    assert.deepEqual(parsed.config.alerts.memory, { thresholdPercent: 70, recoveryPercent: 60 });
    assert.equal(parsed.config.grafana.region, "us-east-1");
  });

  it("rejects an invalid email, naming the key and the value", () => {
    const error = configError({ alerts: { emails: ["ops@he2.site", "ops at he2.site"] } });
    assert.deepEqual(
      error.problems.map((i) => [i.key, i.value]),
      [["helium:alerts.emails[1]", "ops at he2.site"]],
    );
    assert.match(
      error.message,
      /helium:alerts\.emails\[1\]: "ops at he2\.site" — allowed: must be an email address such as ops@example\.com/,
    );
  });

  it("rejects an address listed twice", () => {
    const error = configError({ alerts: { emails: ["ops@he2.site", "OPS@he2.site"] } });
    assert.match(error.message, /helium:alerts\.emails: .* lists an address twice/);
  });

  for (const [key, alerts, value] of [
    ["cpu.thresholdPercent", { cpu: { thresholdPercent: 101 } }, 101],
    ["memory.recoveryPercent", { memory: { recoveryPercent: -5 } }, -5],
    ["alb5xxPercent", { alb5xxPercent: 150 }, 150],
    ["redisMemoryPercent", { redisMemoryPercent: -1 }, -1],
  ] as const) {
    it(`rejects ${key} = ${value}, outside 0-100`, () => {
      const error = configError({ alerts });
      assert.deepEqual(
        error.problems.map((i) => [i.key, i.value]),
        [[`helium:alerts.${key}`, value]],
      );
      assert.match(error.message, /must be a percentage in 0-100/);
    });
  }

  for (const [key, value, message] of [
    ["latencyP95Seconds", 0, /^more than 0 \(seconds\)$/],
    ["latencyP95Seconds", 5000, /^at most 4000 \(seconds\)$/],
    ["loadBalancer5xxCount", -1, /^at least 0$/],
    ["loadBalancer5xxCount", 1.5, /^a whole number$/],
  ] as const) {
    it(`rejects alerts.${key} = ${value}`, () => {
      const error = configError({ alerts: { [key]: value } });
      assert.deepEqual(
        error.problems.map((i) => [i.key, i.value]),
        [[`helium:alerts.${key}`, value]],
      );
      assert.match(error.problems[0].allowed, message);
    });
  }

  for (const [metric, limits] of [
    ["cpu", { thresholdPercent: 70, recoveryPercent: 70 }],
    ["memory", { thresholdPercent: 50 }],
  ] as const) {
    it(`rejects a ${metric} recovery level at or above the alarm threshold`, () => {
      const error = configError({ alerts: { [metric]: limits } });
      const threshold = limits.thresholdPercent;
      assert.equal(error.problems.length, 1);
      assert.equal(error.problems[0].key, `helium:alerts.${metric}.recoveryPercent`);
      assert.match(error.problems[0].allowed, new RegExp(`must be below thresholdPercent \\(${threshold}\\)`));
    });
  }

  it("rejects an alarm window longer than CloudWatch allows (3000 s × 100 > 86400 s), naming alerts.evaluationPeriods", () => {
    const error = configError({ alerts: { periodSeconds: 3000, evaluationPeriods: 100 } });
    assert.deepEqual(
      error.problems.map((i) => [i.key, i.value]),
      [["helium:alerts.evaluationPeriods", 100]],
    );
    assert.match(
      error.message,
      /helium:alerts\.evaluationPeriods: 100 — allowed: must be at most 28 with periodSeconds 3000/,
    );
    assert.match(error.message, /86400 s/);
  });

  it("accepts the longest window CloudWatch allows: 60 s × 1440 and 3600 s × 168", () => {
    for (const alerts of [
      { periodSeconds: 60, evaluationPeriods: 1440 },
      { periodSeconds: 3600, evaluationPeriods: 168 },
    ]) {
      const parsed = parse("production", productionConfig({ alerts }));
      if (parsed.role !== "environment") return assert.fail("an environment expected");
      assert.equal(parsed.config.alerts.evaluationPeriods, alerts.evaluationPeriods);
    }
  });

  for (const periodSeconds of [30, 90, 0]) {
    it(`rejects alerts.periodSeconds ${periodSeconds}: not a multiple of 60 (our metrics are standard resolution)`, () => {
      const error = configError({ alerts: { periodSeconds } });
      assert.deepEqual(
        error.problems.map((i) => [i.key, i.value]),
        [["helium:alerts.periodSeconds", periodSeconds]],
      );
      assert.match(error.message, /multiple of 60 seconds/);
    });
  }

  it("rejects a Grafana region that does not offer Managed Grafana, listing the allowed regions", () => {
    const error = configError({ grafana: { region: "ap-south-1" } });
    assert.deepEqual(
      error.problems.map((i) => [i.key, i.value]),
      [["helium:grafana.region", "ap-south-1"]],
    );
    assert.match(error.message, new RegExp(`not offered there; offered in: ${MANAGED_GRAFANA_REGIONS.join(", ")}`));
  });

  it("accepts IAM Identity Center user and group ids as Grafana admins, and provisioning off", () => {
    const user = "906757f4d0-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";
    const group = "a1b2c3d4-1111-2222-3333-444455556666";
    const parsed = parse(
      "production",
      productionConfig({ grafana: { provision: false, adminUserIds: [user], adminGroupIds: [group] } }),
    );
    if (parsed.role !== "environment") return assert.fail("an environment expected");
    assert.deepEqual(parsed.config.grafana, {
      enabled: true,
      provision: false,
      adminUserIds: [user],
      adminGroupIds: [group],
    });
  });

  it("rejects a Grafana admin that is not an IAM Identity Center id, and one listed twice", () => {
    const error = configError({
      grafana: {
        adminUserIds: ["alice@he2.site"],
        adminGroupIds: ["a1b2c3d4-1111-2222-3333-444455556666", "A1B2C3D4-1111-2222-3333-444455556666"],
      },
    });
    assert.deepEqual(
      error.problems.map((i) => [i.key, i.value]),
      [
        ["helium:grafana.adminUserIds[0]", "alice@he2.site"],
        [
          "helium:grafana.adminGroupIds",
          ["a1b2c3d4-1111-2222-3333-444455556666", "A1B2C3D4-1111-2222-3333-444455556666"],
        ],
      ],
    );
    assert.match(error.message, /must be an IAM Identity Center user or group id/);
    assert.match(error.message, /lists an id twice/);
  });

  it("rejects an unknown key under alerts, listing the allowed keys", () => {
    const error = configError({ alerts: { cpuThreshold: 80 } });
    assert.match(
      error.message,
      /helium:alerts\.cpuThreshold: 80 — allowed: unknown key "cpuThreshold"; allowed keys: emails, cpu, memory/,
    );
  });

  it("lists exactly the catalog's Managed Grafana regions", () => {
    assert.deepEqual(
      MANAGED_GRAFANA_REGIONS,
      KNOWN_REGION_CODES.filter((code) => REGIONS.get(code)?.managedGrafana),
    );
    assert.ok(!MANAGED_GRAFANA_REGIONS.includes("ap-south-1"));
  });

  describe("grafanaRegionFor", () => {
    const grafana = (value: unknown) => grafanaSchema.parse(value);
    it("uses grafana.region when set", () =>
      assert.deepEqual(grafanaRegionFor(grafana({ region: "us-east-1" }), ["ap-southeast-1"]), {
        region: "us-east-1",
      }));
    it("defaults to the first environment region that offers the service", () =>
      assert.deepEqual(grafanaRegionFor(grafana({}), ["ap-south-1", "us-east-1", "ap-southeast-1"]), {
        region: "us-east-1",
      }));
    it("explains how to fix an environment without such a region", () => {
      const result = grafanaRegionFor(grafana({}), ["ap-south-1"]);
      assert.ok("error" in result);
      assert.match(
        result.error,
        /grafana\.region is unset and none of this environment's regions \(ap-south-1\) offers/,
      );
      assert.match(result.error, /grafana\.enabled to false/);
    });
  });

  it("documents every key with its default", () => {
    for (const schema of [alertsSchema, grafanaSchema, tracingSchema]) {
      for (const [key, field] of Object.entries(schema.shape)) {
        const description = (field as { description?: string }).description ?? "";
        assert.match(description, /Defaults? to /, `${key}: "${description}"`);
      }
    }
  });
});

describe("grafana placement at parse time", () => {
  it("rejects a staging-like environment in ap-south-1 only, with no grafana.region, naming the key", () => {
    assert.throws(
      () =>
        parse("staging", {
          "helium:role": "environment",
          "aws:region": "ap-south-1",
          "helium:sharedStack": "shared",
          "helium:imageTag": "v1",
          "helium:regions": JSON.stringify([{ region: "ap-south-1" }]),
        }),
      (error: Error) => /helium:grafana\.region/.test(error.message) && /ap-southeast-1/.test(error.message),
    );
  });
});
