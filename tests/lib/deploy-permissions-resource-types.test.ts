/**
 * The deploy roles against every resource type the environment programs register: the committed staging and
 * production stacks, and the variants that only config turns on (`helium:entry: apiGateway`, `helium:database`
 * with Enhanced Monitoring and Performance Insights, the ECS capabilities). For each registered resource, each
 * call of tests/lib/deploy-resource-actions.ts (create, read, update, delete, tag) must be allowed by the role
 * of its environment, on that resource's ARN, in its region, for a resource carrying the environment's
 * default tags. A registered type without a row fails: its permissions were never checked.
 */
import * as assert from "node:assert/strict";
import { deployPolicyStatements } from "../../lib/deploy-permissions";
import type { PolicyStatement } from "../../lib/iam";
import { evaluateStack } from "../../offline/evaluate";
import { DATABASE_ON, ECS_CAPABILITIES } from "../fixtures/variants";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { actionInfo, arnMatches, iamWildcardRegExp } from "./deploy-permissions-checker";
import { ACCOUNT, type Call, OPERATIONS, RESOURCE_ACTIONS } from "./deploy-resource-actions";
import { startEvaluations } from "../harness/prefetch";

/** Not AWS resources: the Grafana provider reaches the workspace's own API with the service-account token. */
const NOT_AWS = /^(pulumi:|helium:|random:|grafana:)/;

const VARIANTS: ReadonlyArray<readonly [string, string, Record<string, string>]> = [
  ["staging", "committed", {}],
  ["production", "committed", {}],
  ["staging", "entry apiGateway", { "helium:entry": "apiGateway" }],
  ["production", "entry apiGateway", { "helium:entry": "apiGateway" }],
  ["staging", "database", DATABASE_ON],
  ["production", "database", DATABASE_ON],
  ["staging", "ECS capabilities", ECS_CAPABILITIES],
];

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? (value as unknown[]) : [value]).map(String);

/**
 * The request context of one call: its region (Route 53, IAM and Global Accelerator are served from
 * us-east-1/us-west-2 endpoints: no `aws:RequestedRegion` of the environment's applies), the default tags on
 * the request and on the resource, and the call's own keys.
 */
function contextOf(resource: RecordedResource, environment: string, call: Call): Map<string, string> {
  const tags = { Project: "helium", Environment: environment };
  return new Map<string, string>([
    ["aws:requestedregion", resource.region ?? "us-east-1"],
    ...Object.entries(tags).flatMap(([k, v]): Array<[string, string]> => [
      [`aws:requesttag/${k.toLowerCase()}`, v],
      [`aws:resourcetag/${k.toLowerCase()}`, v],
    ]),
    ...Object.entries(call.context ?? {}).map(([k, v]): [string, string] => [k.toLowerCase(), v]),
  ]);
}

/** Whether every condition of the statement holds in the context (IAM semantics for the operators used). */
function conditionsHold(statement: PolicyStatement, context: Map<string, string>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, block]) =>
    Object.entries(block).every(([key, expected]) => {
      const actual = context.get(key.toLowerCase());
      const values = list(expected);
      switch (operator) {
        case "Null":
          return (actual === undefined) === (values[0] === "true");
        case "StringEquals":
        case "ArnEquals":
          return actual !== undefined && values.includes(actual);
        case "StringLike":
        case "ArnLike":
          return actual !== undefined && values.some((v) => iamWildcardRegExp(v).test(actual));
        default:
          return false;
      }
    }),
  );
}

function allowed(statements: readonly PolicyStatement[], call: Call, context: Map<string, string>): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).some((a) => a.toLowerCase() === call.action.toLowerCase()) &&
      list(s.Resource).some((pattern) => pattern === "*" || (call.arn !== "*" && arnMatches(pattern, call.arn))) &&
      conditionsHold(s, context),
  );
}

/** The scope the shared stack gives each environment's role: its image regions and hosted zone. */
interface SharedScope {
  readonly regions: readonly string[];
  readonly hostedZoneId: string;
}

/** Every call of every registered resource that the role of its environment does not allow. */
function deniedCalls(evaluation: StackEvaluation, environment: string, shared: SharedScope): string[] {
  const statements = Object.values(deployPolicyStatements({ environment, account: ACCOUNT, ...shared })).flat();
  const denied = new Set<string>();
  for (const resource of evaluation.resources.filter((r) => r.custom && !NOT_AWS.test(r.type))) {
    const row = RESOURCE_ACTIONS[resource.type];
    if (row === undefined) continue;
    const calls = row(withAccount(resource), environment, evaluation.resources);
    for (const operation of OPERATIONS) {
      for (const call of calls[operation] ?? []) {
        if (!allowed(statements, call, contextOf(resource, environment, call)))
          denied.add(`${resource.type} ${operation}: ${call.action} on ${call.arn}`);
      }
    }
  }
  return [...denied];
}

/** The resource with the mocks' account id replaced by the role's, wherever it appears. */
function withAccount(resource: RecordedResource): RecordedResource {
  const swap = (value: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(value).replace(/:\d{12}:/g, `:${ACCOUNT}:`)) as Record<string, unknown>;
  return {
    ...resource,
    id: resource.id?.replace(/:\d{12}:/g, `:${ACCOUNT}:`) ?? null,
    inputs: swap(resource.inputs),
    outputs: swap(resource.outputs),
  };
}

describe("deploy roles against every resource type the programs register (whole stacks under mocks)", function () {
  this.timeout(600_000);
  startEvaluations(VARIANTS.map(([stack, , overrides]) => [stack, { configOverrides: overrides }]));
  const evaluations = new Map<string, StackEvaluation>();
  let shared: SharedScope;

  before(async () => {
    const outputs = (await evaluateStack("shared")).outputs;
    shared = { regions: list(outputs.imageRegions), hostedZoneId: String(outputs.hostedZoneId) };
    for (const [stack, variant, overrides] of VARIANTS)
      evaluations.set(`${stack}/${variant}`, await evaluateStack(stack, { configOverrides: overrides }));
  });

  it("the variants register what they are for (API Gateway, RDS with its monitoring role, one-off tasks)", () => {
    const types = (key: string) => new Set(evaluations.get(key)?.resources.map((r) => r.type));
    assert.ok(types("staging/entry apiGateway").has("aws:apigatewayv2/api:Api"));
    assert.ok(types("staging/entry apiGateway").has("aws:route53/healthCheck:HealthCheck"));
    assert.ok(types("production/database").has("aws:rds/instance:Instance"));
    const instance = evaluations.get("staging/database")?.resources.find((r) => r.type === "aws:rds/instance:Instance");
    assert.ok(instance?.inputs.monitoringRoleArn, "Enhanced Monitoring on: the role is passed to RDS");
    assert.ok(
      evaluations
        .get("staging/ECS capabilities")
        ?.resources.some((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name.includes("-one-off-")),
    );
  });

  it("has a row of deploy actions for every AWS resource type any variant registers", () => {
    const types = new Set(
      [...evaluations.values()].flatMap((e) => e.resources.filter((r) => r.custom).map((r) => r.type)),
    );
    const missing = [...types].filter((t) => !NOT_AWS.test(t) && RESOURCE_ACTIONS[t] === undefined).sort();
    assert.deepEqual(missing, []);
  });

  it("names only actions that exist in AWS's IAM data", async () => {
    const actions = new Set<string>();
    for (const [key, evaluation] of evaluations) {
      const environment = key.split("/")[0];
      for (const r of evaluation.resources.filter((x) => x.custom && RESOURCE_ACTIONS[x.type] !== undefined)) {
        const calls = RESOURCE_ACTIONS[r.type](r, environment, evaluation.resources);
        for (const operation of OPERATIONS) for (const call of calls[operation] ?? []) actions.add(call.action);
      }
    }
    const unknown: string[] = [];
    for (const action of actions) if ((await actionInfo(action)) === undefined) unknown.push(action);
    assert.deepEqual(unknown, []);
  });

  for (const [stack, variant] of VARIANTS) {
    it(`${stack}, ${variant}: the role of ${stack} allows every create, read, update, delete and tag call`, () => {
      const evaluation = evaluations.get(`${stack}/${variant}`);
      assert.ok(evaluation);
      assert.deepEqual(deniedCalls(evaluation, stack, shared), []);
    });
  }
});
