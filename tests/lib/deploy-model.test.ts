import * as assert from "node:assert/strict";
import { DEFAULT_SERVICES, withDefaultServices } from "../../config/service-defaults";
import { servicesSchema } from "../../config/services";
import {
  AWS_DEFAULTS,
  DEPLOY_MODEL_FORMULA,
  type DeployModelInput,
  ECS_DEFAULT_STOP_TIMEOUT_SECONDS,
  deployInputFromSpec,
  deployInputWithAwsDefaults,
  modelRollingDeploy,
} from "../../lib/deploy-model";
import { deployReportRows, renderDeployReport } from "../../scripts/deploy-report";

const base: DeployModelInput = {
  desiredCount: 2,
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  taskStartSeconds: 30,
  healthCheck: { intervalSeconds: 10, healthyThreshold: 2 },
  drainSeconds: 30,
};

describe("lib/deploy-model", () => {
  it("replaces every task in one batch at 100/200: start + threshold × interval + drain", () => {
    const r = modelRollingDeploy(base);
    assert.deepEqual([r.batchSize, r.batches], [2, 1]);
    assert.deepEqual(
      [r.startSeconds, r.healthySeconds, r.drainSeconds, r.perBatchSeconds, r.totalSeconds],
      [30, 20, 30, 80, 80],
    );
  });

  it("takes several batches when the percentages leave little headroom", () => {
    // 3 tasks at 100/150: cap floor(4.5)=4, floor 3 → 1 task per batch → 3 batches.
    const r = modelRollingDeploy({ ...base, desiredCount: 3, maximumPercent: 150 });
    assert.deepEqual([r.batchSize, r.batches, r.totalSeconds], [1, 3, 3 * 80]);
    // 4 tasks at 50/100: stop 2 first, then the other 2 → 2 batches.
    const half = modelRollingDeploy({ ...base, desiredCount: 4, minimumHealthyPercent: 50, maximumPercent: 100 });
    assert.deepEqual([half.batchSize, half.batches], [2, 2]);
  });

  it("costs nothing for an empty service and no health wait without a load balancer", () => {
    assert.equal(modelRollingDeploy({ ...base, desiredCount: 0 }).totalSeconds, 0);
    const worker = modelRollingDeploy({ ...base, healthCheck: undefined });
    assert.equal(worker.healthySeconds, 0);
    assert.equal(worker.totalSeconds, 60);
  });

  it("throws when the percentages allow no replacement at all", () => {
    assert.throws(
      () => modelRollingDeploy({ ...base, minimumHealthyPercent: 100, maximumPercent: 100 }),
      /minimumHealthyPercent 100 and maximumPercent 100 with 2 task\(s\) allow no task to be replaced/,
    );
  });

  it("reads a service's own settings, and swaps in AWS defaults only where an ALB is involved", () => {
    const services = servicesSchema.parse(
      withDefaultServices({
        backend: {
          deregistrationDelaySeconds: 15,
          healthCheck: { path: "/api/health", intervalSeconds: 6, healthyThreshold: 3, timeoutSeconds: 5 },
        },
      }),
    );
    const tuned = deployInputFromSpec(services.backend);
    assert.deepEqual(tuned.healthCheck, { intervalSeconds: 6, healthyThreshold: 3 });
    assert.equal(tuned.drainSeconds, 15);
    assert.equal(tuned.desiredCount, services.backend.scaling.min);
    const aws = deployInputWithAwsDefaults(services.backend);
    assert.deepEqual(aws.healthCheck, {
      intervalSeconds: AWS_DEFAULTS.intervalSeconds,
      healthyThreshold: AWS_DEFAULTS.healthyThreshold,
    });
    assert.equal(aws.drainSeconds, AWS_DEFAULTS.deregistrationDelaySeconds);
    const worker = deployInputFromSpec(services.worker);
    assert.equal(worker.healthCheck, undefined);
    assert.equal(worker.drainSeconds, ECS_DEFAULT_STOP_TIMEOUT_SECONDS);
    assert.deepEqual(deployInputWithAwsDefaults(services.worker), worker);
  });
});

describe("scripts/deploy-report", () => {
  it("reports every enabled service from the configuration it is given, tuned next to AWS defaults", () => {
    const services = servicesSchema.parse(
      withDefaultServices({ frontend: { enabled: false }, backend: { deregistrationDelaySeconds: 45 } }),
    );
    const rows = deployReportRows(services, 20);
    assert.deepEqual(
      rows.map((r) => r.service),
      ["backend", "worker"],
    );
    const backend = rows[0];
    assert.equal(backend.tuned.drainSeconds, 45);
    assert.equal(backend.tuned.startSeconds, 20);
    assert.ok(
      backend.tuned.totalSeconds < backend.awsDefaults.totalSeconds,
      "tuned settings deploy faster than AWS defaults",
    );
    const text = renderDeployReport("test", rows, 20);
    assert.ok(text.includes(DEPLOY_MODEL_FORMULA), "the formula is printed");
    assert.match(
      text,
      new RegExp(
        `^backend\\s+${backend.desiredCount}\\s+yes\\s+${backend.tuned.totalSeconds} s\\s+\\S+\\s+${backend.awsDefaults.totalSeconds} s`,
        "m",
      ),
    );
  });

  it("changes its numbers when the defaults' settings change (nothing is hard-coded)", () => {
    const defaults = deployReportRows(servicesSchema.parse(DEFAULT_SERVICES));
    const slower = deployReportRows(
      servicesSchema.parse(
        withDefaultServices({ backend: { healthCheck: { path: "/api/health", healthyThreshold: 4 } } }),
      ),
    );
    const at = (rows: typeof defaults) => rows.find((r) => r.service === "backend")?.tuned.totalSeconds ?? NaN;
    assert.ok(at(slower) > at(defaults));
  });
});
