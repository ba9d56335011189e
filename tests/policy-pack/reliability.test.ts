import assert from "node:assert/strict";
import {
  ecsCircuitBreakerRollback,
  productionAlbDeletionProtection,
  productionRedisFailover,
  sqsDeadLetterQueue,
} from "../../policy-pack/policies/reliability";
import { found, res, run } from "./fixtures";

const QUEUE = "aws:sqs/queue:Queue";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("reliability policies (advisory)", () => {
  it("helium-ecs-circuit-breaker-rollback flags a breaker without rollback", () => {
    const report = run(ecsCircuitBreakerRollback, [
      res("aws:ecs/service:Service", "ok", { deploymentCircuitBreaker: { enable: true, rollback: true } }),
      res("aws:ecs/service:Service", "no-rollback", { deploymentCircuitBreaker: { enable: true, rollback: false } }),
    ]);
    assert.deepEqual(found(report), [
      { policy: "helium-ecs-circuit-breaker-rollback", enforcementLevel: "advisory", resourceName: "no-rollback" },
    ]);
  });

  it("helium-sqs-dlq accepts a work queue with a redrive policy and its DLQ, flags a queue without one", () => {
    const dlq = res(QUEUE, "jobs-dlq", { sqsManagedSseEnabled: true });
    const report = run(sqsDeadLetterQueue, [
      dlq,
      res(
        QUEUE,
        "jobs",
        {
          redrivePolicy: JSON.stringify({
            deadLetterTargetArn: "arn:aws:sqs:ap-south-1:1:jobs-dlq",
            maxReceiveCount: 5,
          }),
        },
        { deps: { redrivePolicy: [dlq] } },
      ),
      res(QUEUE, "orphan", {}),
    ]);
    assert.deepEqual(found(report), [
      { policy: "helium-sqs-dlq", enforcementLevel: "advisory", resourceName: "orphan" },
    ]);
    assert.match(report.violations[0]?.message ?? "", /no redrivePolicy/);
  });

  it("helium-prod-alb-deletion-protection applies only to the production stack", () => {
    const report = run(productionAlbDeletionProtection, [
      res(LB, "staging-alb", {}, { stack: "staging" }),
      res(LB, "prod-alb", {}, { stack: "production" }),
      res(LB, "prod-protected", { enableDeletionProtection: true }, { stack: "production" }),
    ]);
    assert.deepEqual(found(report), [
      { policy: "helium-prod-alb-deletion-protection", enforcementLevel: "advisory", resourceName: "prod-alb" },
    ]);
  });

  it("helium-prod-redis-failover honours the productionStacks config", () => {
    const resources = [
      res(RG, "prod-redis", {}, { stack: "production" }),
      res(RG, "perf-redis", {}, { stack: "perf" }),
    ];
    assert.deepEqual(
      found(run(productionRedisFailover, resources)).map((f) => f.resourceName),
      ["prod-redis"],
    );
    const configured = run(productionRedisFailover, resources, {
      "helium-prod-redis-failover": { productionStacks: ["perf"] },
    });
    assert.deepEqual(
      found(configured).map((f) => f.resourceName),
      ["perf-redis"],
    );
  });
});
