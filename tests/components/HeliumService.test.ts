import { descendantsOf, oneOf, policyDocument, recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { HeliumRegion } from "../../components/HeliumRegion";
import {
  HeliumService,
  type HeliumServiceArgs,
  XRAY_DAEMON_ADDRESS,
  XRAY_DAEMON_IMAGE,
  backlogPerTaskTarget,
} from "../../components/HeliumService";
import { type ServiceSpec, type ServicesSpec, servicesSchema, withDefaultServices } from "../../config/services";
import { PLATFORM_SECRET_KEYS } from "../../config/stacks";
import { DEPLOYMENT_MAXIMUM_PERCENT, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT } from "../../lib/deploy-model";
import type { Environment } from "../../lib/naming";
import { assignRoutePriorities } from "../../lib/routing";
import { MOCK_ACCOUNT_ID } from "../../offline/mock-outputs";
import { parseStackFile } from "../../offline/pulumi-yaml";
import type { RecordedResource } from "../../offline/types";

const SERVICE = "helium:index:HeliumService";
const DIGEST = `sha256:${"ab".repeat(32)}`;
/** Actions that have no resource-level permissions: the only ones allowed on Resource "*". */
const NO_RESOURCE_LEVEL_ACTIONS = new Set([
  "ecr:GetAuthorizationToken",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
]);

let counter = 0;

interface Deployment {
  readonly region: HeliumRegion;
  readonly regionName: string;
  readonly specs: ServicesSpec;
  readonly services: Record<string, HeliumService>;
  readonly priorities: Record<string, number[]>;
  /** Resource options of every child, by logical name (the mocks do not see options such as ignoreChanges). */
  readonly childOptions: Map<string, pulumi.ResourceOptions>;
}

interface DeployOptions {
  readonly environment?: Environment;
  readonly region?: string;
  readonly appSecrets?: Record<string, string>;
  readonly image?: (repository: string, region: string) => string;
  readonly extra?: (name: string) => Partial<HeliumServiceArgs>;
}

const imageOf = (repository: string, region: string) =>
  `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repository}:v42`;
const repositoryArnOf = (repository: string, region: string) =>
  `arn:aws:ecr:${region}:${MOCK_ACCOUNT_ID}:repository/${repository}`;

/** A throwaway HeliumRegion plus one HeliumService per enabled service, wired as stacks/environment.ts will. */
function deploy(servicesConfig?: unknown, options: DeployOptions = {}): Deployment {
  const environment = options.environment ?? "production";
  const code = options.region ?? "ap-southeast-1";
  const specs = servicesSchema.parse(withDefaultServices(servicesConfig));
  const regionName = `unit${++counter}`;
  const region = new HeliumRegion(regionName, {
    environment,
    network: {
      region: code,
      vpcCidr: "10.20.0.0/16",
      availabilityZones: [`${code}a`, `${code}b`],
      natGateways: "single",
      interfaceEndpoints: [],
      trafficDialPercent: 100,
    },
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    certificateDomain: "he2.site",
    services: specs,
    appOrigins: ["https://he2.site"],
    appSecrets: options.appSecrets,
  });
  const priorities = assignRoutePriorities(specs);
  const services: Record<string, HeliumService> = {};
  const childOptions = new Map<string, pulumi.ResourceOptions>();
  const capture: pulumi.ResourceTransformation = ({ name, opts }) => {
    childOptions.set(name, opts);
    return undefined;
  };
  for (const [name, spec] of Object.entries(specs)) {
    if (!spec.enabled) continue;
    services[name] = new HeliumService(
      `${regionName}-${name}`,
      {
        environment,
        serviceName: name,
        spec,
        region,
        image: (options.image ?? imageOf)(spec.repository, code),
        repositoryArns: [repositoryArnOf(spec.repository, code)],
        routePriorities: priorities[name],
        declaredSecretKeys: [...PLATFORM_SECRET_KEYS, ...Object.keys(options.appSecrets ?? {})],
        ...(options.extra?.(name) ?? {}),
      },
      { parent: region, transformations: [capture] },
    );
  }
  return { region, regionName, specs, services, priorities, childOptions };
}

function childrenOf(d: Deployment, service: string): RecordedResource[] {
  return descendantsOf(oneOf(SERVICE, new RegExp(`^${d.regionName}-${service}$`)).urn);
}

function child(d: Deployment, service: string, type: string, name?: RegExp): RecordedResource {
  return oneOf(type, name, childrenOf(d, service));
}

interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  portMappings?: Array<{ containerPort: number; protocol: string }>;
  environment: Array<{ name: string; value: string }>;
  secrets?: Array<{ name: string; valueFrom: string }>;
  readonlyRootFilesystem: boolean;
  privileged: boolean;
  mountPoints?: Array<{ sourceVolume: string; containerPath: string; readOnly: boolean }>;
  healthCheck?: { command: string[] };
  logConfiguration: { logDriver: string; options: Record<string, string> };
}

function containers(d: Deployment, service: string): ContainerDefinition[] {
  const td = child(d, service, "aws:ecs/taskDefinition:TaskDefinition");
  return JSON.parse(String(td.inputs.containerDefinitions)) as ContainerDefinition[];
}

type Statement = Record<string, unknown>;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The policy pack's least-privilege rule, applied to one document. */
function assertLeastPrivilege(document: { Statement: Statement[] }, where: string): void {
  for (const statement of document.Statement) {
    const actions = list(statement.Action).map(String);
    for (const action of actions) assert.ok(!action.includes("*"), `${where}: wildcard action ${action}`);
    if (list(statement.Resource).includes("*")) {
      const scoped = actions.filter((a) => !NO_RESOURCE_LEVEL_ACTIONS.has(a));
      assert.deepEqual(scoped, [], `${where}: Resource "*" for actions that support resource-level permissions`);
    }
  }
}

function statement(document: { Statement: Statement[] }, sid: string): Statement {
  const found = document.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid} in ${JSON.stringify(document)}`);
  return found;
}

function rolePolicy(d: Deployment, service: string, kind: "exec" | "task"): { Statement: Statement[] } {
  return policyDocument(
    child(d, service, "aws:iam/rolePolicy:RolePolicy", new RegExp(`-${kind}-policy$`)).inputs.policy,
  );
}

/**
 * Helium's defaults plus three configured services, in one region: constructing a region is the slow part
 * of these tests, so one deployment serves every test that only reads.
 *  - admin: host + path routing (ReptiDex style), deployed by digest
 *  - plain: read-only root filesystem and X-Ray turned off, ECS Exec turned on, explicitly
 *  - administration-panel: disabled; its name is too long for a target group (used by a bad-input test)
 */
const EXTRA_SERVICES = {
  admin: {
    repository: "helium-admin",
    port: 9000,
    routes: [{ hostHeaders: ["admin.he2.site"], pathPatterns: ["/app/*"] }],
    healthCheck: { path: "/health" },
    cpu: 256,
    memory: 512,
  },
  plain: {
    repository: "helium-backend",
    command: ["python", "run_cron.py"],
    readonlyRootFilesystem: false,
    xray: false,
  },
  "administration-panel": {
    enabled: false,
    repository: "helium-admin",
    port: 9100,
    routes: [{ pathPatterns: ["/panel/*"] }],
    healthCheck: { path: "/health" },
  },
};

describe("HeliumService", function () {
  this.timeout(60000);
  let d: Deployment;
  before(async () => {
    recorder.reset();
    d = deploy(EXTRA_SERVICES, {
      image: (repo, region) =>
        repo === "helium-admin"
          ? `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repo}@${DIGEST}`
          : imageOf(repo, region),
      extra: (name) => (name === "plain" ? { enableExecuteCommand: true } : {}),
    });
    await settle();
  });

  describe("with Helium's default services in production Singapore", () => {
    it("registers one component per enabled service, parented to the region", () => {
      const components = recorder.resources.filter((r) => r.type === SERVICE);
      assert.deepEqual(
        components.map((c) => c.name).sort(),
        Object.keys(d.specs)
          .filter((n) => d.specs[n].enabled)
          .map((n) => `${d.regionName}-${n}`)
          .sort(),
      );
      const regionUrn = oneOf("helium:index:HeliumRegion", new RegExp(`^${d.regionName}$`)).urn;
      for (const c of components) assert.equal(c.parent, regionUrn);
    });

    it("defines an ARM64 Linux Fargate task with the spec's CPU and memory, named after the service and region", () => {
      for (const [name, spec] of Object.entries(d.specs).filter(([, spec]) => spec.enabled)) {
        const td = child(d, name, "aws:ecs/taskDefinition:TaskDefinition");
        assert.deepEqual(td.inputs.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
        assert.deepEqual(td.inputs.requiresCompatibilities, ["FARGATE"]);
        assert.equal(td.inputs.networkMode, "awsvpc");
        assert.equal(td.inputs.cpu, String(spec.cpu));
        assert.equal(td.inputs.memory, String(spec.memory));
        assert.equal(td.inputs.family, `helium-${name}-sg`);
        assert.equal(td.region, "ap-southeast-1");
      }
    });

    it("runs the image it is given and the worker's command override", () => {
      const [backend] = containers(d, "backend");
      assert.equal(backend.image, imageOf("helium-backend", "ap-southeast-1"));
      assert.equal(backend.command, undefined);
      const [worker] = containers(d, "worker");
      assert.equal(worker.image, imageOf("helium-backend", "ap-southeast-1"), "the worker reuses the backend image");
      assert.deepEqual(worker.command, ["python", "run_worker.py"]);
    });

    it("injects secrets by key from the region secret with valueFrom, never as plain environment", async () => {
      const secretArn = await valueOf(d.region.secretArn);
      const [app] = containers(d, "backend");
      assert.deepEqual(
        app.secrets,
        d.specs.backend.secrets.map((key) => ({ name: key, valueFrom: `${secretArn}:${key}::` })),
      );
      const plainNames = app.environment.map((e) => e.name);
      for (const key of d.specs.backend.secrets)
        assert.ok(!plainNames.includes(key), `${key} must not be a plain env var`);
    });

    it("logs every container with awslogs to the service's log group in its region", async () => {
      for (const name of ["backend", "worker"]) {
        const group = await valueOf(d.region.logGroups[name].name);
        for (const c of containers(d, name)) {
          assert.equal(c.logConfiguration.logDriver, "awslogs");
          assert.equal(c.logConfiguration.options["awslogs-group"], group);
          assert.equal(c.logConfiguration.options["awslogs-region"], "ap-southeast-1");
        }
      }
    });

    it("mounts the root filesystem read-only with a writable /tmp volume, and runs nothing privileged", () => {
      const td = child(d, "backend", "aws:ecs/taskDefinition:TaskDefinition");
      const [app, xray] = containers(d, "backend");
      assert.equal(app.readonlyRootFilesystem, true);
      assert.deepEqual(app.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
      assert.deepEqual(
        (td.inputs.volumes as Array<{ name: string }>).map((v) => v.name),
        ["tmp"],
      );
      assert.equal(app.privileged, false);
      assert.equal(xray.privileged, false);
    });

    it("runs a pinned X-Ray daemon sidecar on UDP 2000 with a health check, reachable by the app on localhost", () => {
      for (const name of ["backend", "worker", "frontend"]) {
        const [app, xray] = containers(d, name);
        assert.equal(xray.name, `helium-${name}-xray`);
        assert.equal(xray.image, XRAY_DAEMON_IMAGE);
        assert.match(
          xray.image,
          /^public\.ecr\.aws\/xray\/aws-xray-daemon:\d+\.\d+\.\d+$/,
          "pinned to a version, not latest",
        );
        assert.deepEqual(xray.portMappings, [{ containerPort: 2000, protocol: "udp" }]);
        assert.ok(xray.healthCheck && xray.healthCheck.command.length > 1, "the daemon has a health check");
        assert.deepEqual(
          app.environment.find((e) => e.name === "AWS_XRAY_DAEMON_ADDRESS"),
          { name: "AWS_XRAY_DAEMON_ADDRESS", value: XRAY_DAEMON_ADDRESS },
        );
        assert.equal(XRAY_DAEMON_ADDRESS, "127.0.0.1:2000");
      }
    });

    it("gives each service separate execution and task roles, named with the region, trusted only by ECS tasks of this account", () => {
      for (const name of ["backend", "worker"]) {
        const exec = child(d, name, "aws:iam/role:Role", /-exec$/);
        const task = child(d, name, "aws:iam/role:Role", /-task$/);
        assert.equal(exec.inputs.name, `helium-${name}-exec-sg`);
        assert.equal(task.inputs.name, `helium-${name}-task-sg`);
        for (const role of [exec, task]) {
          assert.equal(role.inputs.managedPolicyArns, undefined, "no managed policies");
          const [trust] = policyDocument(role.inputs.assumeRolePolicy).Statement;
          assert.deepEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
          assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } });
        }
        const td = child(d, name, "aws:ecs/taskDefinition:TaskDefinition");
        assert.equal(td.inputs.executionRoleArn, exec.outputs.arn);
        assert.equal(td.inputs.taskRoleArn, task.outputs.arn);
      }
      assert.equal(
        childrenOf(d, "backend").filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length,
        0,
      );
    });

    it("scopes the execution role to its repositories, its log group, its secret and the region key", async () => {
      const doc = rolePolicy(d, "backend", "exec");
      assert.deepEqual(statement(doc, "PullServiceImages").Resource, [
        repositoryArnOf("helium-backend", "ap-southeast-1"),
      ]);
      assert.equal(statement(doc, "EcrLogin").Resource, "*");
      assert.equal(
        statement(doc, "WriteServiceLogs").Resource,
        `${await valueOf(d.region.logGroups.backend.arn)}:log-stream:*`,
      );
      assert.equal(statement(doc, "ReadBackendSecret").Resource, await valueOf(d.region.secretArn));
      assert.equal(statement(doc, "DecryptBackendSecret").Resource, await valueOf(d.region.kmsKeyArn));
    });

    it("lets the backend send to the queue and the worker consume it, and both use the files bucket", async () => {
      const queueArn = await valueOf(d.region.queueArn);
      const bucketArn = await valueOf(d.region.filesBucketArn);
      const backend = rolePolicy(d, "backend", "task");
      const worker = rolePolicy(d, "worker", "task");
      assert.deepEqual(statement(backend, "SendWork"), {
        Sid: "SendWork",
        Effect: "Allow",
        Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Resource: queueArn,
      });
      assert.deepEqual(statement(worker, "ConsumeWork").Action, [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
      ]);
      assert.equal(statement(worker, "ConsumeWork").Resource, queueArn);
      assert.ok(!JSON.stringify(backend).includes("sqs:ReceiveMessage"), "the backend may not consume");
      assert.ok(!JSON.stringify(worker).includes("sqs:SendMessage"), "the worker may not send");
      for (const doc of [backend, worker]) {
        assert.equal(statement(doc, "FilesObjects").Resource, `${bucketArn}/*`);
        assert.equal(statement(doc, "FilesList").Resource, bucketArn);
        assert.deepEqual(statement(doc, "FilesEncryption").Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.equal(statement(doc, "FilesEncryption").Resource, await valueOf(d.region.kmsKeyArn));
        assert.deepEqual(statement(doc, "XRayWrite").Action, [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
        ]);
      }
      const frontend = rolePolicy(d, "frontend", "task");
      assert.ok(
        !JSON.stringify(frontend).includes("sqs:") && !JSON.stringify(frontend).includes("s3:"),
        "the frontend gets neither queue nor bucket",
      );
    });

    it("has no wildcard action and `*` resources only for actions without resource-level permissions, in every IAM document", () => {
      const documents = recorder.resources
        .filter(
          (r) =>
            r.type === "aws:iam/rolePolicy:RolePolicy" &&
            r.name.startsWith(d.regionName) &&
            /-(exec|task)-policy$/.test(r.name),
        )
        .map((r) => ({ name: r.name, doc: policyDocument(r.inputs.policy) }));
      const enabled = Object.values(d.specs).filter((spec) => spec.enabled).length;
      assert.equal(
        documents.length,
        2 * enabled - 1,
        "an execution and a task policy per service, except `plain`, which needs no task permissions",
      );
      for (const { name, doc } of documents) assertLeastPrivilege(doc, name);
    });

    it("the least-privilege check itself rejects a wildcard action and a misplaced `*` resource", () => {
      assert.throws(
        () => assertLeastPrivilege({ Statement: [{ Action: "s3:*", Resource: "arn:aws:s3:::b" }] }, "t"),
        /wildcard action/,
      );
      assert.throws(
        () => assertLeastPrivilege({ Statement: [{ Action: ["sqs:SendMessage"], Resource: "*" }] }, "t"),
        /resource-level/,
      );
    });

    it("runs the service in private subnets with the task SG, no public IP, circuit breaker rollback and 100/200 deploys", async () => {
      const privateSubnets = await Promise.all(d.region.privateSubnetIds.map(valueOf));
      for (const name of ["backend", "worker"]) {
        const svc = child(d, name, "aws:ecs/service:Service");
        assert.equal(svc.inputs.name, `helium-${name}-service`);
        assert.equal(svc.inputs.cluster, await valueOf(d.region.clusterArn));
        assert.deepEqual(svc.inputs.networkConfiguration, {
          subnets: privateSubnets,
          securityGroups: [await valueOf(d.region.taskSecurityGroupId)],
          assignPublicIp: false,
        });
        assert.deepEqual(svc.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.equal(svc.inputs.deploymentMinimumHealthyPercent, DEPLOYMENT_MINIMUM_HEALTHY_PERCENT);
        assert.equal(svc.inputs.deploymentMaximumPercent, DEPLOYMENT_MAXIMUM_PERCENT);
        assert.equal(svc.inputs.launchType, "FARGATE");
        assert.equal(svc.inputs.enableExecuteCommand, false);
        assert.equal(svc.inputs.propagateTags, "SERVICE");
        assert.equal(svc.inputs.waitForSteadyState, false);
        assert.equal(svc.inputs.desiredCount, d.specs[name].scaling.min);
        assert.deepEqual(
          d.childOptions.get(svc.name)?.ignoreChanges,
          ["desiredCount"],
          "autoscaling owns desiredCount after creation",
        );
        assert.equal(svc.inputs.taskDefinition, child(d, name, "aws:ecs/taskDefinition:TaskDefinition").outputs.arn);
      }
      assert.equal(DEPLOYMENT_MINIMUM_HEALTHY_PERCENT, 100);
      assert.equal(DEPLOYMENT_MAXIMUM_PERCENT, 200);
    });

    it("gives load-balanced services an IP target group with the tuned health check and deregistration delay", async () => {
      const spec = d.specs.backend;
      const tg = child(d, "backend", "aws:lb/targetGroup:TargetGroup");
      assert.equal(tg.inputs.targetType, "ip");
      assert.equal(tg.inputs.port, spec.port);
      assert.equal(tg.inputs.name, `helium-backend-${spec.port}-sg`);
      assert.equal(tg.inputs.vpcId, await valueOf(d.region.vpcId));
      assert.equal(tg.inputs.deregistrationDelay, spec.deregistrationDelaySeconds);
      assert.ok(spec.deregistrationDelaySeconds < 300, "far below AWS's default");
      const health = tg.inputs.healthCheck as Record<string, unknown>;
      assert.equal(health.path, "/api/health");
      assert.equal(health.interval, spec.healthCheck?.intervalSeconds);
      assert.equal(health.healthyThreshold, spec.healthCheck?.healthyThreshold);
      assert.equal(health.unhealthyThreshold, spec.healthCheck?.unhealthyThreshold);
      assert.equal(health.matcher, spec.healthCheck?.matcher);
      const svc = child(d, "backend", "aws:ecs/service:Service");
      assert.deepEqual(svc.inputs.loadBalancers, [
        { targetGroupArn: tg.outputs.arn, containerName: "helium-backend", containerPort: spec.port },
      ]);
      assert.equal(svc.inputs.healthCheckGracePeriodSeconds, spec.healthCheck?.gracePeriodSeconds);
      assert.ok(
        svc.dependencies.includes(child(d, "backend", "aws:lb/listenerRule:ListenerRule").urn),
        "the service waits for the rule that attaches the target group",
      );
      assert.equal(await valueOf(d.services.backend.targetGroupArn as never), tg.outputs.arn);
      assert.equal(await valueOf(d.services.backend.targetGroupArnSuffix as never), tg.outputs.arnSuffix);
    });

    it("adds a listener rule on the region's HTTPS listener with the path condition and the assigned priority", async () => {
      const rule = child(d, "backend", "aws:lb/listenerRule:ListenerRule");
      assert.equal(rule.inputs.listenerArn, await valueOf(d.region.httpsListenerArn));
      assert.equal(rule.inputs.priority, d.priorities.backend[0]);
      assert.deepEqual(rule.inputs.conditions, [{ pathPattern: { values: ["/api/*"] } }]);
      assert.deepEqual(rule.inputs.actions, [
        { type: "forward", targetGroupArn: child(d, "backend", "aws:lb/targetGroup:TargetGroup").outputs.arn },
      ]);
      assert.equal(child(d, "frontend", "aws:lb/listenerRule:ListenerRule").inputs.priority, 50000);
    });

    it("gives the worker no load balancer, no grace period and no target group output", () => {
      const kids = childrenOf(d, "worker");
      assert.equal(kids.filter((r) => r.type.startsWith("aws:lb/")).length, 0);
      const svc = child(d, "worker", "aws:ecs/service:Service");
      assert.equal(svc.inputs.loadBalancers, undefined);
      assert.equal(svc.inputs.healthCheckGracePeriodSeconds, undefined);
      assert.equal(d.services.worker.targetGroupArn, undefined);
      assert.equal(d.services.worker.targetGroupArnSuffix, undefined);
    });

    it("scales each service on CPU and memory with the configured targets, bounds and cooldowns", async () => {
      for (const name of ["backend", "worker", "frontend"]) {
        const { scaling } = d.specs[name];
        const target = child(d, name, "aws:appautoscaling/target:Target");
        assert.equal(target.inputs.resourceId, `service/${await valueOf(d.region.clusterName)}/helium-${name}-service`);
        assert.equal(target.inputs.scalableDimension, "ecs:service:DesiredCount");
        assert.equal(target.inputs.minCapacity, scaling.min);
        assert.equal(target.inputs.maxCapacity, scaling.max);
        for (const [suffix, metric, value] of [
          ["cpu", "ECSServiceAverageCPUUtilization", scaling.cpuTargetPercent],
          ["memory", "ECSServiceAverageMemoryUtilization", scaling.memoryTargetPercent],
        ] as const) {
          const policy = child(d, name, "aws:appautoscaling/policy:Policy", new RegExp(`-${suffix}$`));
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
      assert.equal(d.specs.backend.scaling.cpuTargetPercent, 70, "the seeds' 70% default");
    });

    it("scales the worker on SQS backlog per task with metric math, target = latency ÷ seconds per message", async () => {
      const queueScaling = d.specs.worker.queueScaling;
      assert.ok(queueScaling);
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
      assert.equal(config.targetValue, queueScaling.acceptableLatencySeconds / queueScaling.secondsPerMessage);
      const metrics = config.customizedMetricSpecification.metrics;
      const byId = Object.fromEntries(metrics.map((m) => [m.id, m]));
      const visible = byId.visible.metricStat;
      const running = byId.running.metricStat;
      assert.deepEqual(
        [visible?.metric.namespace, visible?.metric.metricName],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible"],
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
      const returned = metrics.filter((m) => m.returnData === true);
      assert.equal(returned.length, 1, "exactly one returned series");
      assert.equal(returned[0].expression, "visible / running");
      assert.equal(
        childrenOf(d, "backend").filter(
          (r) => r.type === "aws:appautoscaling/policy:Policy" && /-backlog$/.test(r.name),
        ).length,
        0,
        "producers do not scale on backlog",
      );
    });

    it("exposes the outputs the team needs", async () => {
      const backend = d.services.backend;
      const svc = child(d, "backend", "aws:ecs/service:Service");
      assert.equal(backend.name, "backend");
      assert.equal(backend.region, "ap-southeast-1");
      assert.equal(await valueOf(backend.serviceName), "helium-backend-service");
      assert.equal(await valueOf(backend.serviceArn), svc.outputs.arn);
      assert.equal(await valueOf(backend.clusterName), await valueOf(d.region.clusterName));
      assert.equal(
        await valueOf(backend.taskDefinitionArn),
        child(d, "backend", "aws:ecs/taskDefinition:TaskDefinition").outputs.arn,
      );
      assert.equal(await valueOf(backend.taskRoleArn), child(d, "backend", "aws:iam/role:Role", /-task$/).outputs.arn);
      assert.equal(
        await valueOf(backend.executionRoleArn),
        child(d, "backend", "aws:iam/role:Role", /-exec$/).outputs.arn,
      );
    });
  });

  describe("configured variations", () => {
    it("deploys an image by digest", () => {
      assert.equal(
        containers(d, "admin")[0].image,
        `${MOCK_ACCOUNT_ID}.dkr.ecr.ap-southeast-1.amazonaws.com/helium-admin@${DIGEST}`,
      );
    });

    it("expresses host-based routing (ReptiDex style) as a host-header condition", () => {
      const rule = child(d, "admin", "aws:lb/listenerRule:ListenerRule");
      assert.deepEqual(rule.inputs.conditions, [
        { hostHeader: { values: ["admin.he2.site"] } },
        { pathPattern: { values: ["/app/*"] } },
      ]);
      assert.equal(rule.inputs.priority, d.priorities.admin[0]);
      assert.ok(d.priorities.admin[0] < d.priorities.backend[0], "host+path is more specific than a path");
    });

    it("can opt out of the read-only root filesystem and X-Ray, and opt in to ECS Exec explicitly", () => {
      const defs = containers(d, "plain");
      assert.equal(defs.length, 1, "no sidecar");
      assert.equal(defs[0].readonlyRootFilesystem, false);
      assert.equal(defs[0].mountPoints, undefined);
      assert.deepEqual(child(d, "plain", "aws:ecs/taskDefinition:TaskDefinition").inputs.volumes, []);
      assert.ok(!defs[0].environment.some((e) => e.name === "AWS_XRAY_DAEMON_ADDRESS"));
      assert.equal(
        childrenOf(d, "plain").filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-task-policy$/.test(r.name))
          .length,
        0,
        "a service with no needs gets no task policy",
      );
      assert.equal(child(d, "plain", "aws:ecs/service:Service").inputs.enableExecuteCommand, true);
    });

    it("injects an app secret the region declares, and names staging resources with the environment", async () => {
      recorder.reset();
      const staging = deploy(
        { backend: { secrets: ["REDIS_HOST", "DJANGO_SECRET_KEY"] }, frontend: { enabled: false } },
        { environment: "staging", region: "ap-south-1", appSecrets: { DJANGO_SECRET_KEY: "x" } },
      );
      await settle();
      const [app] = containers(staging, "backend");
      const secretArn = await valueOf(staging.region.secretArn);
      assert.deepEqual(app.secrets, [
        { name: "REDIS_HOST", valueFrom: `${secretArn}:REDIS_HOST::` },
        { name: "DJANGO_SECRET_KEY", valueFrom: `${secretArn}:DJANGO_SECRET_KEY::` },
      ]);
      assert.equal(
        child(staging, "backend", "aws:iam/role:Role", /-exec$/).inputs.name,
        "helium-backend-exec-staging-mum",
      );
      assert.equal(child(staging, "backend", "aws:ecs/service:Service").inputs.name, "helium-backend-staging-service");
      assert.equal(
        child(staging, "backend", "aws:ecs/taskDefinition:TaskDefinition").inputs.family,
        "helium-backend-staging-mum",
      );
      assert.equal(
        child(staging, "backend", "aws:lb/targetGroup:TargetGroup").inputs.name,
        "helium-backend-8000-staging-mum",
      );
    });

    it("computes the backlog target from the configured latency and processing time", () => {
      assert.equal(backlogPerTaskTarget({ acceptableLatencySeconds: 60, secondsPerMessage: 0.5 }), 120);
      assert.equal(backlogPerTaskTarget(undefined), 150, "schema defaults 300 s ÷ 2 s");
    });
  });

  describe("bad input throws before anything is registered", () => {
    /** Builds a region, then one service with `patch` applied to the backend spec; returns the error. */
    async function rejects(
      patch: (spec: ServiceSpec) => ServiceSpec,
      extra: Partial<HeliumServiceArgs> = {},
    ): Promise<Error> {
      await settle();
      const before = recorder.resources.length;
      let caught: Error | undefined;
      try {
        new HeliumService(
          `bad${++counter}-backend`,
          {
            environment: "production",
            serviceName: "backend",
            spec: patch(d.specs.backend),
            region: d.region,
            image: imageOf("helium-backend", "ap-southeast-1"),
            repositoryArns: [repositoryArnOf("helium-backend", "ap-southeast-1")],
            routePriorities: [100],
            ...extra,
          },
          { parent: d.region },
        );
      } catch (error) {
        caught = error as Error;
      }
      await settle();
      assert.ok(caught, "expected the constructor to throw");
      assert.equal(recorder.resources.length, before, "nothing registered, not even the component");
      return caught;
    }

    it("a CPU/memory pair Fargate does not offer", async () => {
      const error = await rejects((s) => ({ ...s, cpu: 512, memory: 512 }));
      assert.match(
        error.message,
        /spec\.cpu\/spec\.memory \(512\/512\): memory 512 MiB is not valid with cpu 512; allowed memory: 1024, 2048, 3072, 4096 MiB/,
      );
    });

    it("a port outside 1-65535", async () => {
      const error = await rejects((s) => ({ ...s, port: 70000 }));
      assert.match(error.message, /spec\.port 70000 is not allowed; a port is an integer in 1-65535/);
    });

    it("scaling.min greater than scaling.max", async () => {
      const error = await rejects((s) => ({ ...s, scaling: { ...s.scaling, min: 5, max: 2 } }));
      assert.match(
        error.message,
        /spec\.scaling\.min 5 \/ spec\.scaling\.max 2 are not allowed; need integers with 0 ≤ min ≤ max/,
      );
    });

    it("a secret key the region secret does not declare", async () => {
      const error = await rejects((s) => ({ ...s, secrets: [...s.secrets, "STRIPE_KEY"] }));
      assert.match(
        error.message,
        /spec\.secrets contains "STRIPE_KEY", which the region's secret does not declare; declared keys: REDIS_HOST, REDIS_PORT, REDIS_AUTH_TOKEN/,
      );
    });

    it("a secret also set as a plain environment variable", async () => {
      const error = await rejects((s) => ({ ...s, environment: { REDIS_AUTH_TOKEN: "plain" } }));
      assert.match(
        error.message,
        /spec\.environment sets REDIS_AUTH_TOKEN, which is a secret; secrets are injected with valueFrom only/,
      );
    });

    it("routes without one priority each, or with a repeated priority", async () => {
      assert.match(
        (await rejects((s) => s, { routePriorities: [] })).message,
        /routePriorities has 0 entries \(none\) but spec\.routes has 1/,
      );
      const twoRoutes = (s: ServiceSpec): ServiceSpec => ({
        ...s,
        routes: [{ pathPatterns: ["/api/*"] }, { pathPatterns: ["/v2/*"] }],
      });
      assert.match(
        (await rejects(twoRoutes, { routePriorities: [100, 100] })).message,
        /routePriorities\[1\] 100 duplicates routePriorities\[0\]/,
      );
    });

    it("a queue consumer that may scale to zero", async () => {
      const error = await rejects((s) => ({ ...s, queue: "consumer", scaling: { ...s.scaling, min: 0 } }));
      assert.match(error.message, /spec\.scaling\.min 0 is not allowed for a queue consumer/);
    });

    it("a mutable :latest image or an unpinned X-Ray daemon", async () => {
      assert.match(
        (await rejects((s) => s, { image: imageOf("helium-backend", "us-east-1").replace(":v42", ":latest") })).message,
        /image ".*:latest" uses the mutable tag latest/,
      );
      assert.match(
        (await rejects((s) => s, { xrayDaemonImage: "public.ecr.aws/xray/aws-xray-daemon:latest" })).message,
        /xrayDaemonImage "public\.ecr\.aws\/xray\/aws-xray-daemon:latest" is not pinned/,
      );
    });

    it("an environment that differs from the region's", async () => {
      const error = await rejects((s) => s, { environment: "staging" });
      assert.match(error.message, /environment "staging" differs from the region's environment "production"/);
    });

    it("a service name too long for the 32-character target group name", async () => {
      const error = await rejects(() => ({ ...d.specs["administration-panel"], enabled: true }), {
        serviceName: "administration-panel",
      });
      assert.match(
        error.message,
        /target group name \(shorten the service name\): "helium-administration-panel-9100-sg" \(35 characters\) is not a valid targetGroup name: allowed is 1-32/,
      );
    });

    it("a service the region has no log group for", async () => {
      const error = await rejects((s) => s, { serviceName: "ghost" });
      assert.match(error.message, /serviceName "ghost" has no log group in region ap-southeast-1/);
    });
  });

  it("rejects duplicate service names in a stack file (YAML duplicate keys) via parseStackFile", () => {
    const yaml = [
      "config:",
      "  aws:region: ap-south-1",
      "  helium:services:",
      "    backend:",
      "      cpu: 512",
      "    backend:",
      "      cpu: 1024",
    ].join("\n");
    assert.throws(
      () => parseStackFile(yaml, "Pulumi.production.yaml"),
      (error: Error) => {
        assert.match(error.message, /^Pulumi\.production\.yaml: /);
        assert.match(error.message, /unique|duplicate/i);
        assert.match(error.message, /backend/);
        return true;
      },
    );
  });
});
