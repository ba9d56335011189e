/**
 * `helium:database`: off when absent, defaults when `{}`, every bad value named with the key and value, and a
 * bad value stops the program before anything is registered.
 */
import { recorder, settle } from "../harness/component";
import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import { main } from "../../stacks/index";
import { SHARED_OUTPUTS, regionModel } from "../fixtures/models";
import { STACK_REFERENCE_TYPE } from "../../offline/stack-references";

/** A staging-like environment's flat config, as the engine hands it over. */
function stagingConfig(overrides: Record<string, unknown> = {}): Record<string, string> {
  const base: Record<string, unknown> = {
    "helium:role": "environment",
    "aws:region": "ap-south-1",
    "helium:sharedStack": "shared",
    "helium:imageTag": "v1",
    "helium:regions": [{ region: "ap-south-1" }],
    // Managed Grafana is not offered in ap-south-1 (as in Pulumi.staging.yaml).
    "helium:grafana": { region: "ap-southeast-1" },
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(base).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

function parse(overrides: Record<string, unknown> = {}) {
  const parsed = parseStackConfig({ stack: "staging", config: stagingConfig(overrides) });
  assert.equal(parsed.role, "environment");
  return parsed.config;
}

/** The problems of a config that must fail, as `[key, value]`. */
function problemsOf(overrides: Record<string, unknown>): Array<[string, unknown]> {
  try {
    parse(overrides);
  } catch (error) {
    assert.ok(InputError.isInputError(error), String(error));
    return error.problems.map((p) => [p.key, p.value]);
  }
  assert.fail("the config was accepted");
}

const CONSUMER = { backend: { consumes: ["cache", "database"] } };

describe("config: helium:database", () => {
  it("is off when absent: no database, the committed stacks' config", () => {
    assert.equal(parse().database, undefined);
  });

  it("`{}` turns it on with the documented defaults", () => {
    assert.deepEqual(parse({ "helium:database": {} }).database, {
      engine: "postgres",
      version: "17",
      instanceClass: "db.t4g.micro",
      storageGb: 20,
      name: "helium",
      username: "helium",
      performanceInsights: false,
      monitoringIntervalSeconds: 0,
      alarms: { cpuPercent: 80 },
    });
  });

  it("takes an unquoted YAML version (a number) as its text", () => {
    assert.equal(parse({ "helium:database": { version: 16 } }).database?.version, 16);
    assert.equal(regionModel({ database: { version: 16 } }).database?.engineVersion, "16");
    assert.deepEqual(problemsOf({ "helium:database": { version: 12 } }), [["helium:database.version", 12]]);
  });

  it("names every bad key with its value: RDS's documented limits", () => {
    const problems = problemsOf({
      "helium:database": {
        version: "12",
        instanceClass: "t4g.micro",
        storageGb: 10,
        backupRetentionDays: 40,
        name: "select",
        username: "pg_admin",
        monitoringIntervalSeconds: 2,
        masterPasswordRotationDays: 0,
      },
    });
    assert.deepEqual(
      new Map(problems),
      new Map<string, unknown>([
        ["helium:database.version", "12"],
        ["helium:database.instanceClass", "t4g.micro"],
        ["helium:database.storageGb", 10],
        ["helium:database.backupRetentionDays", 40],
        ["helium:database.name", "select"],
        ["helium:database.username", "pg_admin"],
        ["helium:database.monitoringIntervalSeconds", 2],
        ["helium:database.masterPasswordRotationDays", 0],
      ]),
    );
  });

  it("rejects a storage ceiling not above the storage, a free-storage alarm not below it, and an unknown key", () => {
    assert.deepEqual(problemsOf({ "helium:database": { storageGb: 100, maxStorageGb: 100 } }), [
      ["helium:database.maxStorageGb", 100],
    ]);
    assert.deepEqual(problemsOf({ "helium:database": { alarms: { freeStorageGb: 20 } } }), [
      ["helium:database.alarms.freeStorageGb", 20],
    ]);
    assert.deepEqual(
      problemsOf({ "helium:database": { password: "hunter2" } }).map(([k]) => k),
      ["helium:database.password"],
    );
  });

  it("accepts only an instance class whose memory it knows, named once at instanceClass (with or without alarms.connections)", () => {
    for (const database of [
      { instanceClass: "db.foo.huge" },
      { instanceClass: "db.foo.huge", alarms: { connections: 50 } },
      { instanceClass: "db.x2iedn.xlarge", alarms: { connections: 900 } },
    ]) {
      assert.deepEqual(problemsOf({ "helium:database": database }), [
        ["helium:database.instanceClass", database.instanceClass],
      ]);
    }
    assert.equal(
      parse({ "helium:database": { instanceClass: "db.r7g.large", alarms: { connections: 900 } } }).database?.alarms
        .connections,
      900,
    );
  });

  it('refuses consumes: ["database"] when there is no database, naming the entry', () => {
    assert.deepEqual(problemsOf({ "helium:services": CONSUMER }), [
      ["helium:services.backend.consumes[1]", "database"],
    ]);
    assert.deepEqual(parse({ "helium:services": CONSUMER, "helium:database": {} }).services.backend.consumes, [
      "cache",
      "database",
    ]);
  });

  it("refuses a database key in the secrets of a service that does not declare the database", () => {
    assert.deepEqual(
      problemsOf({ "helium:database": {}, "helium:services": { worker: { secrets: ["REDIS_HOST", "DB_HOST"] } } }),
      [["helium:services.worker.secrets[1]", "DB_HOST"]],
    );
  });

  it("stops the program on a bad database before anything but the StackReference reads is registered", async () => {
    recorder.setStackReferences({ shared: SHARED_OUTPUTS });
    try {
      recorder.reset();
      await assert.rejects(
        main({ stack: "staging", config: stagingConfig({ "helium:database": { storageGb: 5 } }) }),
        (error: unknown) =>
          InputError.isInputError(error) &&
          /helium:database\.storageGb: 5 — allowed: an integer in 20-65,536 GiB/.test(error.message),
      );
      await settle();
      assert.deepEqual(
        recorder.resources.filter((r) => r.type !== STACK_REFERENCE_TYPE).map((r) => r.type),
        [],
      );
    } finally {
      recorder.setStackReferences({});
    }
  });
});
