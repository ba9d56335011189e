/**
 * The deploy roles cover what the services' optional capabilities create and run (docs/ecs.md): checked
 * against the names and ARNs a real evaluation of staging registers with every capability on.
 */
import * as assert from "node:assert/strict";
import { deployPolicyStatements } from "../../lib/deploy-permissions";
import type { PolicyStatement } from "../../lib/iam";
import { evaluateStack } from "../../offline/evaluate";
import { ECS_CAPABILITIES } from "../fixtures/variants";
import type { StackEvaluation } from "../../offline/types";
import { startEvaluations } from "../harness/prefetch";
import { arnMatches } from "./deploy-permissions-checker";

const ACCOUNT = "123456789012";
const SCOPE = { environment: "staging", account: ACCOUNT, regions: ["ap-south-1"], hostedZoneId: "Z1" };
const ALL = Object.values(deployPolicyStatements(SCOPE)).flat();
const list = (value: PolicyStatement["Action"] | PolicyStatement["Resource"]): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? [...value] : [value]).map(String);

/** The statements that allow `action` on `arn`. */
const allowing = (action: string, arn: string): PolicyStatement[] =>
  ALL.filter((s) => list(s.Action).includes(action) && list(s.Resource).some((r) => arnMatches(r, arn)));

describe("deploy roles: the ECS capabilities", function () {
  this.timeout(180_000);
  startEvaluations([["staging", { configOverrides: ECS_CAPABILITIES }]]);
  let evaluation: StackEvaluation;

  before(async () => {
    evaluation = await evaluateStack("staging", { configOverrides: ECS_CAPABILITIES });
  });

  it("register the one-off task definitions and create the ECS Exec log group", () => {
    const oneOff = evaluation.resources.filter(
      (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name.includes("-one-off-"),
    );
    assert.equal(oneOff.length, 1);
    const family = String(oneOff[0].inputs.family);
    assert.ok(
      allowing("ecs:RegisterTaskDefinition", `arn:aws:ecs:ap-south-1:${ACCOUNT}:task-definition/${family}:1`).length >
        0,
    );
    const group = evaluation.resources.find(
      (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && String(r.inputs.name).includes("ecs-exec"),
    );
    assert.ok(group);
    assert.ok(
      allowing("logs:CreateLogGroup", `arn:aws:logs:ap-south-1:${ACCOUNT}:log-group:${String(group.inputs.name)}`)
        .length > 0,
    );
    assert.ok(
      allowing("ecs:UpdateCluster", `arn:aws:ecs:ap-south-1:${ACCOUNT}:cluster/helium-mumbai-staging-cluster`).length >
        0,
    );
  });

  it("create the Service Connect namespace only with the environment's tags, and manage only tagged ones", () => {
    const [create] = allowing("servicediscovery:CreateHttpNamespace", "*");
    assert.deepEqual(create.Condition?.StringEquals, {
      "aws:RequestTag/Project": "helium",
      "aws:RequestTag/Environment": "staging",
      "aws:RequestedRegion": ["ap-south-1"],
    });
    const [manage] = allowing(
      "servicediscovery:DeleteNamespace",
      `arn:aws:servicediscovery:ap-south-1:${ACCOUNT}:namespace/ns-abc`,
    );
    assert.equal(
      (manage.Condition?.StringEquals as Record<string, unknown> | undefined)?.["aws:ResourceTag/Environment"],
      "staging",
    );
    assert.deepEqual(
      allowing("servicediscovery:TagResource", "*"),
      [],
      "no re-tagging of another environment's namespace",
    );
  });

  it("run a one-off task on this environment's task definitions in its clusters only, and watch it", () => {
    const outputs = evaluation.outputs.regions as Record<
      string,
      { oneOffTasks: { cluster: string; tasks: { backend: { migrate: { family: string } } } } }
    >;
    const { cluster, tasks } = outputs["ap-south-1"].oneOffTasks;
    const [run] = allowing(
      "ecs:RunTask",
      `arn:aws:ecs:ap-south-1:${ACCOUNT}:task-definition/${tasks.backend.migrate.family}:7`,
    );
    assert.ok(run);
    assert.deepEqual((run.Condition?.ArnEquals as Record<string, unknown> | undefined)?.["ecs:cluster"], [cluster]);
    assert.deepEqual(
      allowing("ecs:RunTask", `arn:aws:ecs:ap-south-1:${ACCOUNT}:task-definition/helium-backend-migrate-task-mum:7`),
      [],
      "not production's",
    );
    assert.ok(
      allowing("ecs:DescribeTasks", `arn:aws:ecs:ap-south-1:${ACCOUNT}:task/helium-mumbai-staging-cluster/abc`).length >
        0,
    );
    assert.deepEqual(
      allowing("ecs:DescribeTasks", `arn:aws:ecs:ap-south-1:${ACCOUNT}:task/helium-mumbai-cluster/abc`),
      [],
    );
  });
});
