/**
 * The resolve step of `helium:database`: production and staging defaults, names from the catalog, the
 * backend secret's keys and what a consumer injects, and the rules a DatabaseModel must meet.
 */
import assert from "node:assert/strict";
import { regionNames } from "../../lib/physical-names";
import { DATABASE_SECRET_KEYS, PLATFORM_SECRET_KEYS } from "../../lib/platform";
import { databaseProblems, MAX_DATABASE_IDENTIFIER_LENGTH } from "../../model/database";
import type { DatabaseModel } from "../../model/types/database";
import { environmentModel, regionModel } from "../fixtures/models";

const GIB = 2 ** 30;
const CONSUMER = { backend: { consumes: ["cache", "database"] } };

function production(overrides: Record<string, unknown> = {}) {
  return environmentModel({ production: true, ...overrides }, { stack: "production" }).regions[0];
}

describe("model: the region's database", () => {
  it("is absent without helium:database, and the backend secret keeps the platform's keys only", () => {
    const region = regionModel();
    assert.equal(region.database, undefined);
    assert.deepEqual(region.secret.keys, [...PLATFORM_SECRET_KEYS]);
  });

  it("staging: single-AZ, 1 day of backups, no deletion protection, no final snapshot, backups go with it", () => {
    const db = regionModel({ database: {} }).database;
    const names = regionNames("staging", "ap-south-1");
    assert.deepEqual(db, {
      identifier: names.database,
      parameterGroupName: names.databaseParameterGroup,
      subnetGroupName: names.databaseSubnetGroup,
      engine: "postgres",
      engineVersion: "17",
      parameterGroupFamily: "postgres17",
      instanceClass: "db.t4g.micro",
      allocatedStorageGb: 20,
      multiAz: false,
      backupRetentionDays: 1,
      deletionProtection: false,
      deleteAutomatedBackups: true,
      dbName: "helium",
      username: "helium",
      port: 5432,
      performanceInsights: false,
      monitoringIntervalSeconds: 0,
      alarms: { cpuPercent: 80, freeStorageBytes: 2 * GIB, connections: 78 },
    });
    assert.equal(db?.identifier, "helium-db-staging-mum");
  });

  it("production: Multi-AZ, 7 days of backups, deletion protection, a final snapshot, backups kept", () => {
    const db = production({ database: {} }).database;
    assert.equal(db?.multiAz, true);
    assert.equal(db?.backupRetentionDays, 7);
    assert.equal(db?.deletionProtection, true);
    assert.equal(db?.finalSnapshotPrefix, "helium-db-mum-final");
    assert.equal(db?.deleteAutomatedBackups, false);
  });

  it("config wins over the production defaults; the parameter group family follows the major", () => {
    const db = production({
      database: {
        multiAz: false,
        backupRetentionDays: 14,
        deletionProtection: false,
        version: "16.4",
        maxStorageGb: 100,
        monitoringIntervalSeconds: 30,
        masterPasswordRotationDays: 30,
      },
    }).database;
    assert.equal(db?.multiAz, false);
    assert.equal(db?.backupRetentionDays, 14);
    assert.equal(db?.deletionProtection, false);
    assert.equal(db?.engineVersion, "16.4");
    assert.equal(db?.parameterGroupFamily, "postgres16");
    assert.equal(db?.maxAllocatedStorageGb, 100);
    assert.equal(db?.monitoringRoleName, regionNames("production", "ap-south-1").databaseMonitoringRole);
    assert.equal(db?.masterPasswordRotationDays, 30);
  });

  it("writes DB_HOST, DB_PORT, DB_NAME into the backend secret and injects them into consumers only", () => {
    const region = regionModel({ database: {}, services: CONSUMER });
    assert.deepEqual(region.secret.keys, [...PLATFORM_SECRET_KEYS, ...DATABASE_SECRET_KEYS]);
    const keysOf = (name: string) => region.services.find((s) => s.name === name)?.secretKeys;
    assert.deepEqual(keysOf("backend"), [...PLATFORM_SECRET_KEYS, ...DATABASE_SECRET_KEYS]);
    assert.deepEqual(keysOf("worker"), [...PLATFORM_SECRET_KEYS]);
    assert.deepEqual(keysOf("frontend"), []);
  });

  it("an app secret named like a database key is the platform's once there is a database, the app's before", () => {
    assert.deepEqual(regionModel({ appSecrets: { DB_HOST: "external" } }).secret.keys, [
      ...PLATFORM_SECRET_KEYS,
      "DB_HOST",
    ]);
    assert.deepEqual(regionModel({ appSecrets: { DB_HOST: "external" }, database: {} }).secret.keys, [
      ...PLATFORM_SECRET_KEYS,
      ...DATABASE_SECRET_KEYS,
    ]);
  });

  describe("databaseProblems", () => {
    const valid = (): DatabaseModel => regionModel({ database: {} }).database as DatabaseModel;

    it("accepts the resolved model", () => {
      assert.deepEqual(databaseProblems(valid()), []);
    });

    it("names each broken field: identifier length, family, storage, monitoring role, alarms", () => {
      const broken: DatabaseModel = {
        ...valid(),
        identifier: `helium-db-${"x".repeat(MAX_DATABASE_IDENTIFIER_LENGTH)}`,
        parameterGroupFamily: "postgres16",
        allocatedStorageGb: 10,
        monitoringIntervalSeconds: 60,
        alarms: { cpuPercent: 80, freeStorageBytes: 0, connections: 0 },
      };
      assert.deepEqual(
        databaseProblems(broken).map((p) => p.key),
        [
          "identifier",
          "parameterGroupFamily",
          "allocatedStorageGb",
          "monitoringRoleName",
          "alarms.freeStorageBytes",
          "alarms.connections",
        ],
      );
    });
  });
});
