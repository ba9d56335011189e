import * as assert from "node:assert/strict";
import {
  POSTGRES_MAJOR_VERSIONS,
  postgresDatabaseNameProblem,
  postgresEngineVersionProblem,
  postgresMajorVersion,
  postgresMasterUsernameProblem,
  rdsBackupRetentionProblem,
  rdsInstanceClassProblem,
  rdsMonitoringIntervalProblem,
  rdsStorageProblems,
} from "../../lib/aws-constraints";
import { estimatedMaxConnections, nominalMemoryGib } from "../../lib/rds";

/** Asserts `check` accepts every `good` value and rejects every `bad` one. */
function accepts<T>(check: (value: T) => string | undefined, good: readonly T[], bad: readonly T[]): void {
  for (const value of good) assert.equal(check(value), undefined, `must accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(check(value), `must reject ${JSON.stringify(value)}`);
}

describe("lib/aws-constraints: RDS for PostgreSQL (CreateDBInstance)", () => {
  it("DBName: 1-63 letters, digits, underscores, a letter first, no reserved word or existing database", () => {
    accepts(
      postgresDatabaseNameProblem,
      ["helium", "h", "app_db_2", "H".repeat(63), "users"],
      ["", "2fast", "_x", "my-db", "x".repeat(64), "select", "USER", "postgres", "template1", "rdsadmin", "hé"],
    );
  });

  it("MasterUsername: 1-16 letters, digits, underscores, a letter first; no reserved word, public, pg_ or rds_ name", () => {
    accepts(
      postgresMasterUsernameProblem,
      ["helium", "a", "app_user_01", "u".repeat(16), "postgres"],
      ["", "1admin", "u".repeat(17), "user", "public", "rdsadmin", "pg_monitor", "rds_superuser", "my-user"],
    );
  });

  it("instance class: a db.t*, db.m* or db.r* class of lib/rds.ts's memory table, naming the families", () => {
    accepts(
      rdsInstanceClassProblem,
      ["db.t4g.micro", "db.t3.2xlarge", "db.m7g.large", "db.r6gd.2xlarge", "db.r5.24xlarge"],
      [
        "t4g.micro",
        "db.t4g",
        "cache.t3.micro",
        "db.T4G.micro",
        "db.t4g.micro ",
        "db.foo.huge",
        "db.t4g.4xlarge",
        "db.m7g.micro",
        "db.x2iedn.32xlarge",
      ],
    );
    assert.match(
      rdsInstanceClassProblem("db.foo.huge") ?? "",
      /db\.t<generation> \(db\.t3, db\.t4g\) in sizes micro to 2xlarge/,
    );
  });

  it("engine version: a major RDS offers (13-18), with or without a minor", () => {
    assert.deepEqual(POSTGRES_MAJOR_VERSIONS, [13, 14, 15, 16, 17, 18]);
    accepts(postgresEngineVersionProblem, ["17", "16.4", "13", "18.1"], ["12", "19", "17.4.1", "v17", "", "17."]);
    assert.equal(postgresMajorVersion("16.4"), 16);
  });

  it("gp3 storage 20-65536 GiB, and an autoscaling ceiling above it", () => {
    assert.deepEqual(rdsStorageProblems(20, undefined), []);
    assert.deepEqual(rdsStorageProblems(20, 100), []);
    assert.deepEqual(rdsStorageProblems(65536, undefined), []);
    assert.deepEqual(
      rdsStorageProblems(19, undefined).map((p) => p.key),
      ["storageGb"],
    );
    assert.deepEqual(
      rdsStorageProblems(20.5, undefined).map((p) => p.key),
      ["storageGb"],
    );
    assert.deepEqual(
      rdsStorageProblems(100, 100).map((p) => [p.key, p.value]),
      [["maxStorageGb", 100]],
    );
    assert.match(rdsStorageProblems(100, 50)[0]?.allowed ?? "", /more than storageGb \(100\)/);
    assert.deepEqual(
      rdsStorageProblems(20, 65537).map((p) => p.key),
      ["maxStorageGb"],
    );
  });

  it("backup retention 0-35 days; Enhanced Monitoring intervals 0, 1, 5, 10, 15, 30, 60", () => {
    accepts(rdsBackupRetentionProblem, [0, 1, 7, 35], [-1, 36, 1.5]);
    accepts(rdsMonitoringIntervalProblem, [0, 1, 5, 10, 15, 30, 60], [2, 20, 120, -1]);
  });

  it("estimates max_connections from nominal memory: LEAST(memory/9531392, 5000)", () => {
    assert.equal(nominalMemoryGib("db.t4g.micro"), 1);
    assert.equal(nominalMemoryGib("db.r6g.large"), 16);
    assert.equal(nominalMemoryGib("db.x2iedn.xlarge"), undefined);
    assert.equal(estimatedMaxConnections("db.t4g.micro"), 112);
    assert.equal(estimatedMaxConnections("db.t4g.medium"), 450);
    assert.equal(estimatedMaxConnections("db.m7g.16xlarge"), 5000);
    assert.equal(estimatedMaxConnections("db.z1d.large"), undefined);
  });
});
