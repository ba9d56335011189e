/**
 * The services' optional capabilities in whole stacks under mocks, with each stack's own Pulumi.<stack>.yaml
 * plus config overrides: Service Connect, capacity from config, one-off tasks and ECS Exec together in
 * production (three regions), and the committed stacks with what they plan by default.
 */
import assert from "node:assert/strict";
import { runPolicyPack } from "../../policy-pack/engine";
import { evaluateStack } from "../../offline/evaluate";
import { ECS_CAPABILITIES } from "../fixtures/variants";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { startEvaluations } from "../harness/prefetch";

const ofType = (e: StackEvaluation, type: string): RecordedResource[] => e.resources.filter((r) => r.type === type);
const ECS_SERVICE = "aws:ecs/service:Service";
const NAMESPACE = "aws:servicediscovery/httpNamespace:HttpNamespace";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

describe("ECS capabilities in whole stacks", function () {
  this.timeout(240_000);
  startEvaluations([["production", { configOverrides: ECS_CAPABILITIES }]]);
  let staging: StackEvaluation;
  let production: StackEvaluation;
  let configured: StackEvaluation;

  before(async () => {
    [staging, production, configured] = await Promise.all([
      evaluateStack("staging"),
      evaluateStack("production"),
      evaluateStack("production", { configOverrides: ECS_CAPABILITIES }),
    ]);
  });

  for (const stack of ["staging", "production"] as const) {
    it(`${stack} as committed: the worker on FARGATE base 1 + FARGATE_SPOT, the others on FARGATE; nothing else added`, () => {
      const evaluation = stack === "staging" ? staging : production;
      const services = ofType(evaluation, ECS_SERVICE);
      assert.ok(services.length > 0);
      for (const svc of services) {
        assert.equal(svc.inputs.launchType, undefined);
        const expected = /-worker-service$/.test(svc.name)
          ? [
              { capacityProvider: "FARGATE", base: 1, weight: 0 },
              { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
            ]
          : [{ capacityProvider: "FARGATE", base: 0, weight: 1 }];
        assert.deepEqual(svc.inputs.capacityProviderStrategies, expected, svc.name);
        assert.equal(svc.inputs.enableExecuteCommand, false);
        assert.equal(svc.inputs.serviceConnectConfiguration, undefined);
      }
      assert.deepEqual(ofType(evaluation, NAMESPACE), []);
      assert.ok(ofType(evaluation, TASK_DEFINITION).every((td) => !td.name.includes("-one-off-")));
      assert.ok(ofType(evaluation, "aws:ecs/cluster:Cluster").every((c) => c.inputs.configuration === undefined));
      const regions = evaluation.outputs.regions as Record<string, Record<string, unknown>>;
      assert.ok(
        Object.values(regions).every((r) => !("oneOffTasks" in r)),
        "outputs unchanged without one-off tasks",
      );
      assert.equal(runPolicyPack(evaluation.resources, {}).mandatoryCount, 0);
    });
  }

  it("production with everything on: one namespace per region, all named for the environment", () => {
    const namespaces = ofType(configured, NAMESPACE);
    assert.deepEqual(namespaces.map((n) => n.region).sort(), ["ap-south-1", "ap-southeast-1", "us-east-1"]);
    assert.ok(namespaces.every((n) => n.inputs.name === "helium"));
  });

  it("production with everything on: per region, the frontend calls backend:8000, the backend has exec and its own strategy", () => {
    for (const region of ["ap-south-1", "ap-southeast-1", "us-east-1"]) {
      const inRegion = ofType(configured, ECS_SERVICE).filter((s) => s.region === region);
      const backend = inRegion.find((s) => /-backend-service$/.test(s.name));
      const frontend = inRegion.find((s) => /-frontend-service$/.test(s.name));
      assert.ok(backend && frontend);
      const namespace = ofType(configured, NAMESPACE).find((n) => n.region === region)?.outputs.arn;
      const backendConnect = backend.inputs.serviceConnectConfiguration as Record<string, unknown>;
      assert.equal(backendConnect.namespace, namespace);
      assert.deepEqual((backendConnect.services as Array<Record<string, unknown>>)[0].clientAlias, [
        { dnsName: "backend", port: 8000 },
      ]);
      assert.equal((frontend.inputs.serviceConnectConfiguration as Record<string, unknown>).namespace, namespace);
      assert.equal(backend.inputs.enableExecuteCommand, true);
      assert.deepEqual(backend.inputs.capacityProviderStrategies, [
        { capacityProvider: "FARGATE", base: 2, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
      ]);
      const cluster = ofType(configured, "aws:ecs/cluster:Cluster").find((c) => c.region === region);
      assert.equal(
        (cluster?.inputs.configuration as { executeCommandConfiguration: { logging: string } } | undefined)
          ?.executeCommandConfiguration.logging,
        "OVERRIDE",
      );
    }
  });

  it("production with everything on: the outputs carry cluster, task definition, subnets and security group per region", () => {
    const regions = configured.outputs.regions as Record<string, { oneOffTasks: Record<string, unknown> }>;
    for (const [region, outputs] of Object.entries(regions)) {
      const oneOff = outputs.oneOffTasks as {
        cluster: string;
        subnets: string[];
        tasks: { backend: { migrate: Record<string, string> } };
      };
      assert.match(oneOff.cluster, new RegExp(`^arn:aws:ecs:${region}:`));
      assert.equal(oneOff.subnets.length, 2);
      const migrate = oneOff.tasks.backend.migrate;
      assert.match(migrate.taskDefinitionArn, /task-definition\/helium-backend-migrate-task-[a-z]+:\d+$/);
      assert.match(migrate.securityGroupId, /^sg-/);
      assert.equal(migrate.containerName, "helium-backend");
      const td = ofType(configured, TASK_DEFINITION).find((t) => t.outputs.arn === migrate.taskDefinitionArn);
      assert.ok(td, "the exported ARN is the one-off task definition");
      assert.equal(td.region, region);
    }
  });

  it("production with everything on passes the policy pack (mandatory)", () => {
    const report = runPolicyPack(configured.resources, {});
    assert.deepEqual(
      report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`),
      [],
    );
  });
});
