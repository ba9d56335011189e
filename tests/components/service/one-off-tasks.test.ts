/**
 * One-off tasks (`services.<name>.tasks`, e.g. `migrate`): a task definition each, on the service's image,
 * roles, size and secrets, running the task's command; logical names CI can target alone.
 */
import { recorder } from "../../harness/component";
import * as assert from "node:assert/strict";
import { HeliumService } from "../../../components/service/HeliumService";
import { ONE_OFF_MARKER, oneOffTargetGlob } from "../../../components/service/tasks";
import { oneOffTaskFamily } from "../../../lib/physical-names";
import { TEST_ACCOUNT, environmentConfig } from "../../fixtures/models";
import { globMatches } from "../../workflows/one-off-task-checks";
import {
  TASK_DEFINITION,
  deploy,
  inputErrorOf,
  ofType,
  serviceTaskDefinition,
  stagingRegion,
} from "./capability-fixtures";
import { type Deployment, child, childrenOf, containersOf } from "./fixtures";

const MIGRATE = ["alembic", "upgrade", "head"];

describe("one-off tasks (services.<name>.tasks)", function () {
  this.timeout(120_000);
  let d: Deployment;

  before(async () => {
    d = await deploy(
      "tasks",
      stagingRegion({ services: { backend: { tasks: { migrate: MIGRATE, "seed-demo": ["python", "seed.py"] } } } }),
    );
  });

  it("registers one task definition per task, named <service>-one-off-<task>, family helium-<service>-<task>-task-…", () => {
    const oneOff = childrenOf(d, "backend").filter(
      (r) => r.type === TASK_DEFINITION && r.name.includes(ONE_OFF_MARKER),
    );
    assert.deepEqual(oneOff.map((r) => r.name).sort(), [
      "tasks-backend-one-off-migrate",
      "tasks-backend-one-off-seed-demo",
    ]);
    const migrate = child(d, "backend", TASK_DEFINITION, /-one-off-migrate$/);
    assert.equal(migrate.inputs.family, "helium-backend-migrate-task-staging-mum");
    assert.equal(migrate.inputs.family, oneOffTaskFamily("staging", "ap-south-1", "backend", "migrate"));
    assert.match(
      String(child(d, "backend", TASK_DEFINITION, /-one-off-seed-demo$/).inputs.family),
      /-[0-9a-f]{8}$/,
      "a hyphenated task name is hash-suffixed",
    );
    assert.deepEqual(
      ofType(d, TASK_DEFINITION)
        .filter((r) => !r.name.includes("backend"))
        .every((r) => !r.name.includes(ONE_OFF_MARKER)),
      true,
      "other services declare none",
    );
  });

  it("runs the task's command on the service's image, roles, size, secrets and log group, with no port and no sidecar", () => {
    const service = serviceTaskDefinition(d, "backend");
    const migrate = child(d, "backend", TASK_DEFINITION, /-one-off-migrate$/);
    for (const field of [
      "executionRoleArn",
      "taskRoleArn",
      "cpu",
      "memory",
      "runtimePlatform",
      "networkMode",
      "requiresCompatibilities",
      "volumes",
    ]) {
      assert.deepEqual(migrate.inputs[field], service.inputs[field], field);
    }
    const [app, ...sidecars] = containersOf(service);
    const containers = containersOf(migrate);
    assert.equal(containers.length, 1, "no X-Ray sidecar");
    const [task] = containers;
    assert.equal(sidecars.length, 1);
    assert.equal(task.name, app.name);
    assert.equal(task.image, app.image);
    assert.deepEqual(task.command, MIGRATE);
    assert.equal(task.portMappings, undefined);
    assert.deepEqual(task.secrets, app.secrets, "the same secrets (a migration needs the database's)");
    assert.equal(task.dependsOn, undefined);
    assert.equal(
      task.environment.find((e) => e.name === "AWS_XRAY_DAEMON_ADDRESS"),
      undefined,
    );
    assert.equal(task.logConfiguration.options["awslogs-group"], app.logConfiguration.options["awslogs-group"]);
    assert.equal(task.logConfiguration.options["awslogs-stream-prefix"], "backend-task-migrate");
  });

  it("exports what run-task needs, and the CI target glob matches exactly the one-off task definitions", () => {
    const backend = d.services.backend;
    assert.deepEqual(Object.keys(backend.oneOffTasks).sort(), ["migrate", "seed-demo"]);
    assert.equal(backend.oneOffTasks.migrate.family, "helium-backend-migrate-task-staging-mum");
    assert.equal(backend.oneOffTasks.migrate.containerName, "helium-backend");
    assert.deepEqual(Object.keys(d.services.worker.oneOffTasks), []);
    const glob = oneOffTargetGlob("unit");
    const matched = d.recorded.filter((r) => globMatches(glob, r.urn)).map((r) => r.name);
    assert.deepEqual(matched.sort(), ["tasks-backend-one-off-migrate", "tasks-backend-one-off-seed-demo"]);
    assert.ok(!globMatches(glob, serviceTaskDefinition(d, "backend").urn));
  });

  it("Helium's defaults declare no one-off task", () => {
    const defaults = stagingRegion();
    assert.ok(defaults.services.every((s) => s.tasks.length === 0));
  });

  describe("bad input", () => {
    it("a task name that is no name, an empty command, a command with an empty word", () => {
      const tasks = (value: unknown) =>
        inputErrorOf(() => environmentConfig({ services: { backend: { tasks: value } } }));
      assert.match(
        tasks({ Migrate: MIGRATE }),
        /helium:services\.backend\.tasks\.Migrate: "Migrate" — allowed: a task name of 1-20 lower-case letters/,
      );
      assert.match(tasks({ migrate: [] }), /helium:services\.backend\.tasks\.migrate: \[\] — allowed:/);
      assert.match(tasks({ migrate: ["alembic", ""] }), /helium:services\.backend\.tasks\.migrate\[1\]: "" — allowed:/);
    });

    it("a component built directly with a bad task registers nothing", () => {
      const backend = stagingRegion().services.find((s) => s.name === "backend");
      assert.ok(backend);
      recorder.reset();
      const message = inputErrorOf(
        () =>
          new HeliumService("tasks-bad", {
            model: {
              ...backend,
              tasks: [
                { name: "migrate", command: [], family: backend.names.family },
                { name: "Bad Name", command: ["x"], family: "helium-x" },
              ],
            },
            foundation: d.region,
            account: TEST_ACCOUNT,
          }),
      );
      assert.match(message, /model\.tasks\[0\]\.command: \[\] — allowed: a command of one or more non-empty words/);
      assert.match(
        message,
        /model\.tasks\[0\]\.family: "helium-backend-staging-mum" — allowed: a family no other task definition/,
      );
      assert.match(message, /model\.tasks\[1\]\.name: "Bad Name"/);
      assert.deepEqual(recorder.resources, []);
    });
  });
});
