import { oneOf, recorder, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { STEADY_STATE_TIMEOUT } from "../../../components/service/HeliumService";
import { DEPLOYMENT_MAXIMUM_PERCENT, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT } from "../../../lib/deploy-model";
import { type Deployment, child, childrenOf, productionDeployment, specOf } from "./fixtures";

describe("HeliumService: ECS service, load balancing and scaling", function () {
  let d: Deployment;
  before(async () => {
    d = await productionDeployment();
  });
  beforeEach(() => recorder.reset());

  describe("service", () => {
    it("runs in private subnets with the service's own group, no public IP, circuit-breaker rollback and 100/200 deploys", async () => {
      const privateSubnets = await Promise.all(d.region.privateSubnetIds.map(valueOf));
      for (const name of ["backend", "worker", "frontend"]) {
        const svc = child(d, name, "aws:ecs/service:Service");
        assert.equal(svc.inputs.name, `helium-${name}-service`);
        assert.equal(svc.inputs.cluster, await valueOf(d.region.clusterArn));
        assert.deepEqual(svc.inputs.networkConfiguration, {
          subnets: privateSubnets,
          securityGroups: [await valueOf(d.region.serviceSecurityGroupIds[name])],
          assignPublicIp: false,
        });
        assert.deepEqual(svc.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.equal(svc.inputs.deploymentMinimumHealthyPercent, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT);
        assert.equal(svc.inputs.deploymentMaximumPercent, DEPLOYMENT_MAXIMUM_PERCENT);
        // Placement by capacity provider strategy, not launchType (tests/components/service/capacity.test.ts).
        assert.equal(svc.inputs.launchType, undefined);
        assert.deepEqual(svc.inputs.capacityProviderStrategies, specOf(d, name).capacityProviderStrategy);
        assert.equal(svc.inputs.propagateTags, "SERVICE");
        assert.equal(svc.inputs.desiredCount, specOf(d, name).desiredCount);
        assert.equal(svc.inputs.taskDefinition, child(d, name, "aws:ecs/taskDefinition:TaskDefinition").outputs.arn);
        assert.deepEqual(
          d.childOptions.get(svc.name)?.ignoreChanges,
          ["desiredCount"],
          "autoscaling owns desiredCount after creation",
        );
      }
      assert.equal(DEPLOYMENT_MINIMUM_HEALTHY_PERCENT, 100);
      assert.equal(DEPLOYMENT_MAXIMUM_PERCENT, 200);
    });

    // Changed: services were created with waitForSteadyState false; `up` now waits and a rolled-back deploy fails.
    it("waits for steady state on create and update, with a timeout that covers a full rollout", () => {
      for (const service of d.model.services) {
        const svc = child(d, service.name, "aws:ecs/service:Service");
        assert.equal(svc.inputs.waitForSteadyState, true);
        assert.deepEqual(d.childOptions.get(svc.name)?.customTimeouts, {
          create: STEADY_STATE_TIMEOUT,
          update: STEADY_STATE_TIMEOUT,
        });
      }
      assert.equal(STEADY_STATE_TIMEOUT, "30m");
    });

    it("starts only after the secret's value exists and the listener rules attach its target group", () => {
      const version = oneOf("aws:secretsmanager/secretVersion:SecretVersion", /.*/, d.recorded);
      for (const service of d.model.services) {
        const svc = child(d, service.name, "aws:ecs/service:Service");
        assert.ok(svc.dependencies.includes(version.urn), `${service.name} depends on the secret version`);
        const rules = childrenOf(d, service.name).filter((r) => r.type === "aws:lb/listenerRule:ListenerRule");
        assert.equal(rules.length, service.routes.length);
        for (const rule of rules)
          assert.ok(svc.dependencies.includes(rule.urn), `${service.name} waits for ${rule.name}`);
      }
    });

    // ECS Exec is opt-in per service (`exec`, tests/components/service/ecs-exec.test.ts); none opts in here.
    it("does not enable ECS Exec unless the service opts in", () => {
      for (const service of d.model.services)
        assert.equal(child(d, service.name, "aws:ecs/service:Service").inputs.enableExecuteCommand, false);
    });
  });

  describe("load balancing", () => {
    // Changed: the target group had a fixed name (helium-backend-8000-sg); it is generated now, so a port change
    // can create the new group before the old one, still attached, is deleted.
    it("gives load-balanced services an IP target group with a generated name, a Name tag and the tuned checks", async () => {
      const spec = specOf(d, "backend");
      const tg = child(d, "backend", "aws:lb/targetGroup:TargetGroup");
      assert.equal(tg.inputs.name, undefined, "no fixed name");
      assert.equal(tg.inputs.namePrefix, "backe-");
      assert.equal((tg.inputs.tags as Record<string, string>).Name, "helium-backend-8000-sg");
      assert.equal(child(d, "admin", "aws:lb/targetGroup:TargetGroup").inputs.namePrefix, "admin-");
      assert.equal(tg.inputs.targetType, "ip");
      assert.equal(tg.inputs.protocol, "HTTP");
      assert.equal(tg.inputs.port, 8000);
      assert.equal(tg.inputs.vpcId, await valueOf(d.region.vpcId));
      assert.equal(tg.inputs.deregistrationDelay, 30);
      assert.deepEqual(tg.inputs.healthCheck, {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: "/api/health",
        matcher: "200-399",
        interval: 5,
        timeout: 4,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      });
      const svc = child(d, "backend", "aws:ecs/service:Service");
      assert.deepEqual(svc.inputs.loadBalancers, [
        { targetGroupArn: tg.outputs.arn, containerName: "helium-backend", containerPort: 8000 },
      ]);
      assert.equal(svc.inputs.healthCheckGracePeriodSeconds, spec.healthCheck?.gracePeriodSeconds);
      assert.equal(await valueOf(d.services.backend.targetGroupArn as pulumi.Output<string>), tg.outputs.arn);
      assert.equal(
        await valueOf(d.services.backend.targetGroupArnSuffix as pulumi.Output<string>),
        tg.outputs.arnSuffix,
      );
    });

    it("adds listener rules on the region's HTTPS listener at the model's priorities", async () => {
      const listener = await valueOf(d.region.httpsListenerArn);
      const rule = child(d, "backend", "aws:lb/listenerRule:ListenerRule");
      assert.equal(rule.inputs.listenerArn, listener);
      assert.equal(rule.inputs.priority, specOf(d, "backend").routes[0].priority);
      assert.deepEqual(rule.inputs.conditions, [{ pathPattern: { values: ["/api/*"] } }]);
      assert.deepEqual(rule.inputs.actions, [
        { type: "forward", targetGroupArn: child(d, "backend", "aws:lb/targetGroup:TargetGroup").outputs.arn },
      ]);
      assert.equal(child(d, "frontend", "aws:lb/listenerRule:ListenerRule").inputs.priority, 50000);
      const admin = child(d, "admin", "aws:lb/listenerRule:ListenerRule");
      assert.deepEqual(admin.inputs.conditions, [
        { hostHeader: { values: ["admin.he2.site"] } },
        { pathPattern: { values: ["/app/*"] } },
      ]);
      assert.equal(admin.inputs.priority, specOf(d, "admin").routes[0].priority);
      assert.ok(Number(admin.inputs.priority) < Number(rule.inputs.priority), "host+path precedes a path");
    });

    it("gives the worker no load balancer, no grace period and no target group output", () => {
      assert.equal(childrenOf(d, "worker").filter((r) => r.type.startsWith("aws:lb/")).length, 0);
      const svc = child(d, "worker", "aws:ecs/service:Service");
      assert.equal(svc.inputs.loadBalancers, undefined);
      assert.equal(svc.inputs.healthCheckGracePeriodSeconds, undefined);
      assert.equal(d.services.worker.targetGroupArn, undefined);
      assert.equal(d.services.worker.targetGroupArnSuffix, undefined);
    });
  });

  describe("scaling", () => {
    it("scales each service on CPU and memory with the model's targets, bounds and cooldowns", async () => {
      const cluster = await valueOf(d.region.clusterName);
      for (const name of ["backend", "worker", "frontend"]) {
        const { scaling } = specOf(d, name);
        const target = child(d, name, "aws:appautoscaling/target:Target");
        assert.equal(target.inputs.resourceId, `service/${cluster}/helium-${name}-service`);
        assert.equal(target.inputs.scalableDimension, "ecs:service:DesiredCount");
        assert.equal(target.inputs.minCapacity, scaling.min);
        assert.equal(target.inputs.maxCapacity, scaling.max);
        for (const [suffix, metric, value] of [
          ["cpu", "ECSServiceAverageCPUUtilization", scaling.cpuTargetPercent],
          ["memory", "ECSServiceAverageMemoryUtilization", scaling.memoryTargetPercent],
        ] as const) {
          const policy = child(d, name, "aws:appautoscaling/policy:Policy", new RegExp(`-${suffix}$`));
          assert.equal(policy.inputs.name, `helium-${name}-service-${suffix}`);
          assert.equal(policy.inputs.policyType, "TargetTrackingScaling");
          assert.equal(policy.inputs.resourceId, target.inputs.resourceId);
          assert.deepEqual(policy.inputs.targetTrackingScalingPolicyConfiguration, {
            predefinedMetricSpecification: { predefinedMetricType: metric },
            targetValue: value,
            scaleOutCooldown: scaling.scaleOutCooldownSeconds,
            scaleInCooldown: scaling.scaleInCooldownSeconds,
          });
        }
      }
      assert.equal(specOf(d, "backend").scaling.cpuTargetPercent, 70, "the seeds' 70% default");
      assert.deepEqual([specOf(d, "backend").scaling.min, specOf(d, "backend").scaling.max], [2, 6]);
    });

    it("scales the worker on SQS backlog per task with metric math, at the model's backlog target", async () => {
      const policy = child(d, "worker", "aws:appautoscaling/policy:Policy", /-backlog$/);
      const config = policy.inputs.targetTrackingScalingPolicyConfiguration as {
        targetValue: number;
        customizedMetricSpecification: {
          metrics: Array<{
            id: string;
            expression?: string;
            returnData?: boolean;
            metricStat?: {
              stat: string;
              metric: { namespace: string; metricName: string; dimensions: Array<{ name: string; value: string }> };
            };
          }>;
        };
      };
      assert.equal(config.targetValue, specOf(d, "worker").scaling.backlogPerTaskTarget);
      assert.equal(config.targetValue, 150, "300 s acceptable latency ÷ 2 s per message");
      const byId = Object.fromEntries(config.customizedMetricSpecification.metrics.map((m) => [m.id, m]));
      const visible = byId.visible.metricStat;
      const running = byId.running.metricStat;
      assert.deepEqual(
        [visible?.metric.namespace, visible?.metric.metricName, visible?.stat],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "Sum"],
      );
      assert.deepEqual(visible?.metric.dimensions, [{ name: "QueueName", value: await valueOf(d.region.queueName) }]);
      assert.deepEqual(
        [running?.metric.namespace, running?.metric.metricName],
        ["ECS/ContainerInsights", "RunningTaskCount"],
      );
      assert.deepEqual(running?.metric.dimensions, [
        { name: "ClusterName", value: await valueOf(d.region.clusterName) },
        { name: "ServiceName", value: "helium-worker-service" },
      ]);
      const returned = config.customizedMetricSpecification.metrics.filter((m) => m.returnData === true);
      assert.deepEqual(
        returned.map((m) => m.expression),
        ["visible / running"],
        "exactly one returned series",
      );
      assert.equal(
        childrenOf(d, "backend").filter(
          (r) => r.type === "aws:appautoscaling/policy:Policy" && /-backlog$/.test(r.name),
        ).length,
        0,
        "producers do not scale on backlog",
      );
    });
  });
});
