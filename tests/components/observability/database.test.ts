import { recorder, resourcesOfType, settle } from "../../harness/component";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { Observability } from "../../../components/observability/Observability";
import { InputError } from "../../../lib/input-error";
import type { RecordedResource } from "../../../offline/types";
import { ALARM, environmentArgs } from "./fixtures";

const MUMBAI = "ap-south-1";
/** Grafana is not offered in Mumbai and is not what these tests are about. */
const NO_GRAFANA = { grafana: { enabled: false } };
const IDENTIFIER = "helium-db-staging-mum-00469398633341792447986774";
const GIB = 2 ** 30;
const THRESHOLDS = { cpuPercent: 80, freeStorageBytes: 2 * GIB, connections: 78 };

/** Staging in Mumbai with a database, as HeliumRegion exposes it (RegionDatabase: identifier and thresholds). */
function withDatabase(alarms = THRESHOLDS) {
  const args = environmentArgs("staging", [MUMBAI], NO_GRAFANA);
  return {
    ...args,
    regions: args.regions.map((r) => ({
      ...r,
      region: { ...r.region, database: { identifier: pulumi.output(IDENTIFIER), alarms } },
    })),
  };
}

const alarmNamed = (name: string): RecordedResource | undefined =>
  resourcesOfType(ALARM).find((a) => a.inputs.name === name);

describe("Observability: the database's alarms and widgets", () => {
  it("adds nothing for a region without a database", async () => {
    recorder.reset();
    new Observability("staging-observability-nodb", environmentArgs("staging", [MUMBAI], NO_GRAFANA));
    await settle();
    assert.deepEqual(
      resourcesOfType(ALARM)
        .map((a) => String(a.inputs.name))
        .filter((n) => n.includes("-db-")),
      [],
    );
  });

  describe("staging with a database", () => {
    before(async () => {
      recorder.reset();
      new Observability("staging-observability-db", withDatabase());
      await settle();
    });

    it("alarms on CPU, free storage and connections, on the instance, with OK (recovery) notices", () => {
      const expected = [
        ["helium-db-cpu-staging-mum", "CPUUtilization", "GreaterThanThreshold", 80, "Average"],
        ["helium-db-free-storage-staging-mum", "FreeStorageSpace", "LessThanThreshold", 2 * GIB, "Minimum"],
        ["helium-db-connections-staging-mum", "DatabaseConnections", "GreaterThanThreshold", 78, "Maximum"],
      ] as const;
      for (const [name, metric, comparison, threshold, statistic] of expected) {
        const alarm = alarmNamed(name);
        assert.ok(alarm, `alarm ${name}`);
        assert.equal(alarm.inputs.namespace, "AWS/RDS");
        assert.equal(alarm.inputs.metricName, metric);
        assert.deepEqual(alarm.inputs.dimensions, { DBInstanceIdentifier: IDENTIFIER });
        assert.equal(alarm.inputs.comparisonOperator, comparison);
        assert.equal(alarm.inputs.threshold, threshold);
        assert.equal(alarm.inputs.statistic, statistic);
        assert.equal(alarm.inputs.region, MUMBAI);
        assert.deepEqual(alarm.inputs.okActions, alarm.inputs.alarmActions, `${name} sends its recovery notice`);
        assert.equal((alarm.inputs.alarmActions as string[]).length, 1);
      }
    });

    it("draws the database on the dashboard with its alarm levels", () => {
      const dashboard = resourcesOfType("aws:cloudwatch/dashboard:Dashboard")[0];
      const body = JSON.parse(String(dashboard?.inputs.dashboardBody)) as {
        widgets: Array<{ properties: { title?: string; metrics?: unknown[][]; annotations?: unknown } }>;
      };
      const database = body.widgets.filter((w) => /Database/.test(w.properties.title ?? ""));
      assert.deepEqual(
        database.map((w) => [w.properties.title, w.properties.metrics?.[0]?.slice(0, 4), w.properties.annotations]),
        [
          [
            "Mumbai (ap-south-1): Database CPU %",
            ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", IDENTIFIER],
            { horizontal: [{ label: "database CPU alarm", value: 80 }] },
          ],
          [
            "Mumbai (ap-south-1): Database free storage (bytes)",
            ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", IDENTIFIER],
            { horizontal: [{ label: "free storage alarm (below)", value: 2 * GIB }] },
          ],
          [
            "Mumbai (ap-south-1): Database connections",
            ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", IDENTIFIER],
            { horizontal: [{ label: "connections alarm", value: 78 }] },
          ],
        ],
      );
    });
  });

  it("refuses thresholds CloudWatch cannot use, naming them, before registering anything", async () => {
    recorder.reset();
    assert.throws(
      () =>
        new Observability(
          "staging-observability-bad",
          withDatabase({ cpuPercent: 120, freeStorageBytes: 0, connections: 0.5 }),
        ),
      (error: unknown) =>
        InputError.isInputError(error) &&
        JSON.stringify(error.problems.map((p) => [p.key, p.value])) ===
          JSON.stringify([
            ["regions[0].region.database.alarms.cpuPercent", 120],
            ["regions[0].region.database.alarms.freeStorageBytes", 0],
            ["regions[0].region.database.alarms.connections", 0.5],
          ]),
    );
    await settle();
    assert.deepEqual(recorder.resources, []);
  });
});
