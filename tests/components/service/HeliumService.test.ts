import { oneOf, policyDocument, recorder, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { regionModel } from "../../fixtures/models";
import { ACCOUNT, revealSecret } from "../region/fixtures";
import {
  type Deployment,
  SERVICE,
  child,
  childrenOf,
  containers,
  deploy,
  productionDeployment,
  rolePolicy,
  specOf,
} from "./fixtures";

const DIGEST = `sha256:${"ab".repeat(32)}`;

const statement = (doc: { Statement: Array<Record<string, unknown>> }, sid: string) => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  assert.ok(found, `no statement ${sid} in ${JSON.stringify(doc)}`);
  return found;
};

describe("HeliumService: task, roles and outputs", function () {
  let d: Deployment;
  before(async () => {
    d = await productionDeployment();
  });
  beforeEach(() => recorder.reset());

  describe("task", () => {
    it("registers one component per service of the model, parented to the region", () => {
      const components = d.recorded.filter((r) => r.type === SERVICE);
      assert.deepEqual(components.map((c) => c.name).sort(), [
        "unit-admin",
        "unit-backend",
        "unit-frontend",
        "unit-plain",
        "unit-worker",
      ]);
      const regionUrn = oneOf("helium:index:HeliumRegion", /^unit$/, d.recorded).urn;
      for (const c of components) assert.equal(c.parent, regionUrn);
    });

    it("defines an ARM64 Linux Fargate task with the model's CPU, memory and family, in its region", () => {
      for (const service of d.model.services) {
        const td = child(d, service.name, "aws:ecs/taskDefinition:TaskDefinition");
        assert.deepEqual(td.inputs.runtimePlatform, { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" });
        assert.deepEqual(td.inputs.requiresCompatibilities, ["FARGATE"]);
        assert.equal(td.inputs.networkMode, "awsvpc");
        assert.equal(td.inputs.cpu, String(service.cpu));
        assert.equal(td.inputs.memory, String(service.memory));
        assert.equal(td.inputs.family, `helium-${service.name}-sg`);
        assert.equal(td.region, "ap-southeast-1");
      }
    });

    it("runs the model's image and the worker's command override", () => {
      const [backend] = containers(d, "backend");
      assert.equal(backend.image, "123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/helium-backend:v1");
      assert.equal(backend.command, undefined);
      const [worker] = containers(d, "worker");
      assert.equal(worker.image, backend.image, "the worker reuses the backend image");
      assert.deepEqual(worker.command, ["python", "run_worker.py"]);
    });

    // Changed: valueFrom ended in `::` (whatever version is current when a task starts); it now names the secret's
    // version id, so a new secret value changes the task definition and rolls the service.
    it("passes container definitions as plain JSON, with secrets pinned to the region secret's current version", async () => {
      const td = child(d, "backend", "aws:ecs/taskDefinition:TaskDefinition");
      assert.equal(revealSecret(td.inputs.containerDefinitions).secret, false, "not a secret");
      assert.equal(typeof td.inputs.containerDefinitions, "string");
      const secretArn = await valueOf(d.region.secretArn);
      const versionId = await valueOf(d.region.secretVersionId);
      assert.match(versionId, /^[0-9a-f-]{36}$/);
      const [app] = containers(d, "backend");
      assert.deepEqual(
        app.secrets,
        specOf(d, "backend").secretKeys.map((key) => ({ name: key, valueFrom: `${secretArn}:${key}::${versionId}` })),
      );
      const plainNames = app.environment.map((e) => e.name);
      for (const key of specOf(d, "backend").secretKeys)
        assert.ok(!plainNames.includes(key), `${key} must not be a plain env var`);
      const version = oneOf("aws:secretsmanager/secretVersion:SecretVersion", /.*/, d.recorded);
      assert.ok(
        td.propertyDependencies.containerDefinitions.includes(version.urn),
        "the definitions follow the secret's value",
      );
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

    it("mounts a /tmp volume for a read-only root filesystem, and none when the service opts out", () => {
      const volumes = (service: string) =>
        child(d, service, "aws:ecs/taskDefinition:TaskDefinition").inputs.volumes as Array<{ name: string }>;
      assert.deepEqual(volumes("backend"), [{ name: "tmp" }]);
      assert.equal(containers(d, "backend")[0].readonlyRootFilesystem, true);
      assert.deepEqual(volumes("plain"), []);
      const plain = containers(d, "plain");
      assert.equal(plain.length, 1, "no X-Ray sidecar");
      assert.equal(plain[0].readonlyRootFilesystem, false);
    });

    it("tags the task definition, roles, target group, rules, service and scaling target with the service", () => {
      const tagged = [
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:ecs/service:Service",
        "aws:lb/targetGroup:TargetGroup",
        "aws:lb/listenerRule:ListenerRule",
        "aws:appautoscaling/target:Target",
      ];
      for (const type of tagged) {
        const tags = child(d, "backend", type).inputs.tags as Record<string, string>;
        assert.equal(tags["helium:service"], "backend", type);
        assert.equal(tags["helium:environment"], "production", type);
      }
      for (const role of childrenOf(d, "backend").filter((r) => r.type === "aws:iam/role:Role"))
        assert.equal((role.inputs.tags as Record<string, string>)["helium:service"], "backend");
    });
  });

  describe("roles", () => {
    it("gives each service separate execution and task roles on the environment's path, trusted only by ECS tasks of this account", () => {
      for (const name of ["backend", "worker"]) {
        const exec = child(d, name, "aws:iam/role:Role", /-exec$/);
        const task = child(d, name, "aws:iam/role:Role", /-task$/);
        assert.equal(exec.inputs.name, `helium-${name}-exec-sg`);
        assert.equal(task.inputs.name, `helium-${name}-task-sg`);
        for (const role of [exec, task]) {
          assert.equal(role.inputs.path, "/helium/production/");
          assert.equal(role.inputs.managedPolicyArns, undefined, "no managed policies");
          const [trust] = policyDocument(role.inputs.assumeRolePolicy).Statement;
          assert.deepEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
          assert.deepEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
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

    it("scopes the execution role to its repository, its log group, its secret and the region key", async () => {
      const doc = rolePolicy(d, "backend", "exec");
      assert.deepEqual(statement(doc, "PullServiceImages").Resource, [specOf(d, "backend").repositoryArn]);
      assert.equal(
        specOf(d, "backend").repositoryArn,
        "arn:aws:ecr:ap-southeast-1:123456789012:repository/helium-backend",
      );
      assert.equal(
        statement(doc, "WriteServiceLogs").Resource,
        `${await valueOf(d.region.logGroups.backend.arn)}:log-stream:*`,
      );
      assert.equal(statement(doc, "ReadBackendSecret").Resource, await valueOf(d.region.secretArn));
      assert.equal(statement(doc, "DecryptBackendSecret").Resource, await valueOf(d.region.kmsKeyArn));
      assert.ok(
        !JSON.stringify(rolePolicy(d, "frontend", "exec")).includes("secretsmanager:"),
        "a service that injects no secret may not read it",
      );
    });

    it("lets the backend send to the queue and the worker consume it, both use the files bucket, the frontend neither", async () => {
      const queueArn = await valueOf(d.region.queueArn);
      const bucketArn = await valueOf(d.region.filesBucketArn);
      const backend = rolePolicy(d, "backend", "task");
      const worker = rolePolicy(d, "worker", "task");
      assert.equal(statement(backend, "SendWork").Resource, queueArn);
      assert.equal(statement(worker, "ConsumeWork").Resource, queueArn);
      assert.ok(!JSON.stringify(backend).includes("sqs:ReceiveMessage"), "the backend may not consume");
      assert.ok(!JSON.stringify(worker).includes("sqs:SendMessage"), "the worker may not send");
      for (const doc of [backend, worker]) {
        assert.equal(statement(doc, "FilesObjects").Resource, `${bucketArn}/*`);
        assert.equal(statement(doc, "FilesList").Resource, bucketArn);
        assert.equal(statement(doc, "FilesEncryption").Resource, await valueOf(d.region.kmsKeyArn));
        statement(doc, "XRayWrite");
      }
      const frontend = JSON.stringify(rolePolicy(d, "frontend", "task"));
      assert.ok(!frontend.includes("sqs:") && !frontend.includes("s3:"), "the frontend gets neither queue nor bucket");
    });

    it("creates an execution policy per service and a task policy only for services with needs", () => {
      const documents = d.recorded.filter(
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && /-(exec|task)-policy$/.test(r.name),
      );
      assert.deepEqual(documents.map((r) => r.name).sort(), [
        "unit-admin-exec-policy",
        "unit-admin-task-policy",
        "unit-backend-exec-policy",
        "unit-backend-task-policy",
        "unit-frontend-exec-policy",
        "unit-frontend-task-policy",
        "unit-plain-exec-policy",
        "unit-worker-exec-policy",
        "unit-worker-task-policy",
      ]);
      const td = child(d, "backend", "aws:ecs/taskDefinition:TaskDefinition");
      const taskPolicy = child(d, "backend", "aws:iam/rolePolicy:RolePolicy", /-task-policy$/);
      assert.ok(td.dependencies.includes(taskPolicy.urn), "tasks start only once their permissions exist");
    });
  });

  it("exposes the outputs the team needs", async () => {
    const backend = d.services.backend;
    const svc = child(d, "backend", "aws:ecs/service:Service");
    assert.equal(backend.name, "backend");
    assert.equal(backend.region, "ap-southeast-1");
    assert.equal(backend.minTasks, 2);
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

  describe("in staging, deployed by digest, with an app secret", () => {
    let staging: Deployment;
    before(async () => {
      const model = regionModel({
        imageTag: DIGEST,
        appSecrets: { DJANGO_SECRET_KEY: "x" },
        services: { backend: { secrets: ["REDIS_HOST", "DJANGO_SECRET_KEY"] }, frontend: { enabled: false } },
      });
      staging = await deploy("stg", model, { appSecretValues: { DJANGO_SECRET_KEY: pulumi.secret("x") } });
    });

    it("runs the image by digest", () => {
      assert.equal(
        containers(staging, "backend")[0].image,
        `123456789012.dkr.ecr.ap-south-1.amazonaws.com/helium-backend@${DIGEST}`,
      );
    });

    it("injects the app secret the region declares", async () => {
      const secretArn = await valueOf(staging.region.secretArn);
      const version = await valueOf(staging.region.secretVersionId);
      assert.deepEqual(containers(staging, "backend")[0].secrets, [
        { name: "REDIS_HOST", valueFrom: `${secretArn}:REDIS_HOST::${version}` },
        { name: "DJANGO_SECRET_KEY", valueFrom: `${secretArn}:DJANGO_SECRET_KEY::${version}` },
      ]);
    });

    it("names staging resources with the environment and builds nothing for a disabled service", () => {
      assert.equal(
        child(staging, "backend", "aws:iam/role:Role", /-exec$/).inputs.name,
        "helium-backend-exec-staging-mum",
      );
      assert.equal(child(staging, "backend", "aws:iam/role:Role", /-exec$/).inputs.path, "/helium/staging/");
      assert.equal(child(staging, "backend", "aws:ecs/service:Service").inputs.name, "helium-backend-staging-service");
      assert.equal(
        child(staging, "backend", "aws:ecs/taskDefinition:TaskDefinition").inputs.family,
        "helium-backend-staging-mum",
      );
      assert.equal(
        (child(staging, "backend", "aws:lb/targetGroup:TargetGroup").inputs.tags as Record<string, string>).Name,
        "helium-backend-8000-staging-mum",
      );
      assert.deepEqual(Object.keys(staging.services).sort(), ["backend", "worker"]);
    });
  });
});
