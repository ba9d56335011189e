/**
 * Capacity from config: each service's capacity provider strategy (FARGATE / FARGATE_SPOT, base and weight)
 * replaces `launchType`; the worker defaults to its base on FARGATE and the rest on FARGATE_SPOT, and gets a
 * stop timeout long enough to finish a message (queue.maxProcessingSeconds + 10 s, capped at 120 s).
 */
import { recorder } from "../../harness/component";
import * as assert from "node:assert/strict";
import { HeliumService } from "../../../components/service/HeliumService";
import { capacityProviderStrategyProblems } from "../../../lib/aws-constraints/ecs";
import { consumerStopTimeoutSeconds } from "../../../lib/platform";
import { diffPlans } from "../../../offline/diff";
import { TEST_ACCOUNT, environmentConfig } from "../../fixtures/models";
import { ECS_SERVICE, deploy, inputErrorOf, serviceTaskDefinition, stagingRegion } from "./capability-fixtures";
import { type Deployment, child, containersOf, specOf } from "./fixtures";

const strategyOf = (d: Deployment, service: string) => child(d, service, ECS_SERVICE).inputs.capacityProviderStrategies;

describe("capacity provider strategies (services.<name>.capacityProviderStrategy)", function () {
  this.timeout(120_000);
  let defaults: Deployment;

  before(async () => {
    defaults = await deploy("cap-default", stagingRegion());
  });

  it("the worker runs its base (1) on FARGATE and the rest on FARGATE_SPOT by default", () => {
    assert.deepEqual(strategyOf(defaults, "worker"), [
      { capacityProvider: "FARGATE", base: 1, weight: 0 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
    ]);
  });

  it("services behind the load balancer stay on on-demand FARGATE by default", () => {
    for (const service of ["backend", "frontend"]) {
      assert.deepEqual(strategyOf(defaults, service), [{ capacityProvider: "FARGATE", base: 0, weight: 1 }], service);
    }
  });

  it("no service sets launchType (it conflicts with a strategy); every service forces a new deployment on a strategy change", () => {
    for (const service of ["backend", "worker", "frontend"]) {
      const svc = child(defaults, service, ECS_SERVICE);
      assert.equal(svc.inputs.launchType, undefined, service);
      assert.equal(svc.inputs.forceNewDeployment, true, service);
      assert.equal(svc.inputs.platformVersion, "LATEST", "Fargate Spot on ARM64 needs platform 1.4.0+");
    }
  });

  it("the worker's app container stops after maxProcessingSeconds + 10 s (70 s); the others keep ECS's default", () => {
    const [worker] = containersOf(serviceTaskDefinition(defaults, "worker"));
    assert.equal(worker.stopTimeout, 70);
    for (const service of ["backend", "frontend"]) {
      assert.equal(containersOf(serviceTaskDefinition(defaults, service))[0].stopTimeout, undefined, service);
    }
  });

  it("the stop timeout follows queue.maxProcessingSeconds and is capped at Fargate's 120 s", () => {
    assert.equal(
      specOf({ model: stagingRegion({ queue: { maxProcessingSeconds: 30 } }) }, "worker").stopTimeoutSeconds,
      40,
    );
    assert.equal(
      specOf({ model: stagingRegion({ queue: { maxProcessingSeconds: 600 } }) }, "worker").stopTimeoutSeconds,
      120,
    );
    assert.equal(consumerStopTimeoutSeconds(110), 120);
    assert.equal(consumerStopTimeoutSeconds(111), 120);
  });

  it("config sets any service's strategy: backend on Spot beyond a base of 2, worker all on-demand", async () => {
    const d = await deploy(
      "cap-custom",
      stagingRegion({
        services: {
          backend: {
            capacityProviderStrategy: [
              { capacityProvider: "FARGATE", base: 2, weight: 1 },
              { capacityProvider: "FARGATE_SPOT", weight: 3 },
            ],
          },
          worker: { capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }] },
        },
      }),
    );
    assert.deepEqual(strategyOf(d, "backend"), [
      { capacityProvider: "FARGATE", base: 2, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
    ]);
    assert.deepEqual(strategyOf(d, "worker"), [{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
  });

  it("moving from launchType to a strategy is an update in the offline diff, not a replacement", () => {
    const before = { type: ECS_SERVICE, name: "svc", inputs: { name: "helium-worker-service", launchType: "FARGATE" } };
    const after = {
      type: ECS_SERVICE,
      name: "svc",
      inputs: {
        name: "helium-worker-service",
        capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }],
        forceNewDeployment: true,
      },
    };
    const diff = diffPlans({ stack: "s", resources: [before] }, { stack: "s", resources: [after] });
    assert.deepEqual(
      diff.changed.map((c) => ({ replacedBy: c.replacedBy, changed: [...c.changedPaths].sort() })),
      [{ replacedBy: [], changed: ["capacityProviderStrategies", "forceNewDeployment", "launchType"] }],
    );
    // Another launch type is still a replacement: launchType forces one when it has a value.
    const ec2 = { ...after, inputs: { ...after.inputs, launchType: "EC2" } };
    assert.deepEqual(
      diffPlans({ stack: "s", resources: [before] }, { stack: "s", resources: [ec2] }).changed[0].replacedBy,
      ["launchType"],
    );
  });

  describe("bad input", () => {
    const strategy = (value: unknown) =>
      inputErrorOf(() => environmentConfig({ services: { worker: { capacityProviderStrategy: value } } }));

    it("a base on two providers, all weights 0, a provider twice, an unknown provider, out-of-range numbers", () => {
      assert.match(
        strategy([
          { capacityProvider: "FARGATE", base: 1, weight: 1 },
          { capacityProvider: "FARGATE_SPOT", base: 1, weight: 1 },
        ]),
        /helium:services\.worker\.capacityProviderStrategy: \["FARGATE","FARGATE_SPOT"\] — allowed: a base above 0 on at most one capacity provider/,
      );
      assert.match(
        strategy([{ capacityProvider: "FARGATE", base: 1 }]),
        /capacityProviderStrategy: \[0\] — allowed: a weight above 0 on at least one capacity provider/,
      );
      assert.match(
        strategy([
          { capacityProvider: "FARGATE_SPOT", weight: 1 },
          { capacityProvider: "FARGATE_SPOT", weight: 2 },
        ]),
        /capacityProviderStrategy\[1\]\.capacityProvider: "FARGATE_SPOT" — allowed: each provider once/,
      );
      assert.match(
        strategy([{ capacityProvider: "EC2", weight: 1 }]),
        /capacityProviderStrategy\[0\]\.capacityProvider: "EC2"/,
      );
      assert.match(
        strategy([{ capacityProvider: "FARGATE", weight: 1001 }]),
        /capacityProviderStrategy\[0\]\.weight: 1001/,
      );
      assert.match(strategy([]), /capacityProviderStrategy: 0 — allowed: 1-20 capacity providers/);
    });

    it("the same rules hold for a component built directly, and nothing is registered", () => {
      assert.deepEqual(
        capacityProviderStrategyProblems([{ capacityProvider: "FARGATE", base: 0, weight: 0 }]).map((p) => p.key),
        [""],
      );
      const model = stagingRegion();
      const worker = model.services.find((s) => s.name === "worker");
      assert.ok(worker);
      recorder.reset();
      const message = inputErrorOf(
        () =>
          new HeliumService("cap-bad", {
            model: {
              ...worker,
              capacityProviderStrategy: [
                { capacityProvider: "FARGATE", base: 1, weight: 0 },
                { capacityProvider: "FARGATE_SPOT", base: 2, weight: 0 },
              ],
              stopTimeoutSeconds: 300,
            },
            foundation: defaults.region,
            account: TEST_ACCOUNT,
          }),
      );
      assert.match(
        message,
        /model\.capacityProviderStrategy: \["FARGATE","FARGATE_SPOT"\] — allowed: a base above 0 on at most one/,
      );
      assert.match(message, /model\.capacityProviderStrategy: \[0,0\] — allowed: a weight above 0/);
      assert.match(message, /model\.stopTimeoutSeconds: 300 — allowed: an integer in 1-120 seconds/);
      assert.deepEqual(recorder.resources, []);
    });
  });
});
