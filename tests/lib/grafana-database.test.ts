import * as assert from "node:assert/strict";
import type { DashboardRegion } from "../../lib/dashboard";
import { grafanaDashboard } from "../../lib/grafana";
import { DASHBOARD_THRESHOLDS as THRESHOLDS } from "../fixtures/dashboard";

const REGION: DashboardRegion = {
  region: "ap-south-1",
  albArnSuffix: "app/helium-alb-mum/aaaa",
  queueName: "helium-work-mum",
  dlqName: "helium-work-dlq-mum",
  redisReplicationGroupId: "helium-redis-mum",
  services: [],
};

interface Panel {
  readonly title: string;
  readonly targets?: Array<{ metricName: string; dimensions: Record<string, string>; statistic: string }>;
  readonly fieldConfig?: { defaults: { thresholds?: { steps: Array<{ value: number | null }> } } };
}

const panelsOf = (region: DashboardRegion) =>
  grafanaDashboard("production", [region], THRESHOLDS, 60, "true").panels as unknown as Panel[];

describe("lib/grafana: the database on the Helium dashboard", () => {
  it("adds no database panel for a region without a database", () => {
    assert.deepEqual(
      panelsOf(REGION).filter((p) => p.title.includes("Database")),
      [],
    );
  });

  it("shows the database's CPU and connections with their alarm lines", () => {
    const panels = panelsOf({
      ...REGION,
      database: { identifier: "helium-db-mum-0001", cpuPercent: 80, freeStorageBytes: 2 ** 31, connections: 78 },
    }).filter((p) => p.title.includes("Database"));
    assert.deepEqual(
      panels.map((p) => [
        p.title,
        p.targets?.map((t) => [t.metricName, t.dimensions, t.statistic]),
        p.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value),
      ]),
      [
        [
          "Mumbai (ap-south-1): Database CPU %",
          [["CPUUtilization", { DBInstanceIdentifier: "helium-db-mum-0001" }, "Average"]],
          [null, 80],
        ],
        [
          "Mumbai (ap-south-1): Database connections",
          [["DatabaseConnections", { DBInstanceIdentifier: "helium-db-mum-0001" }, "Maximum"]],
          [null, 78],
        ],
      ],
    );
  });
});
