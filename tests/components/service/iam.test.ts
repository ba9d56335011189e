import { policyDocument as parsePolicy, valueOf } from "../../harness/component";
import * as assert from "node:assert/strict";
import { executionRoleStatements, taskRoleStatements } from "../../../components/service/iam";
import { type PolicyStatement, policyDocument } from "../../../lib/iam";
import type { ServiceModel } from "../../../model/types/service";

type Statement = Record<string, unknown>;

const REGION = "ap-south-1";
const REPOSITORY = "arn:aws:ecr:ap-south-1:123456789012:repository/helium-backend";
const LOG_GROUP = "arn:aws:logs:ap-south-1:123456789012:log-group:/helium/staging/backend";
const SECRET = "arn:aws:secretsmanager:ap-south-1:123456789012:secret:helium/backend/staging-AbCdEf";
const KEY = "arn:aws:kms:ap-south-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const QUEUE = "arn:aws:sqs:ap-south-1:123456789012:helium-work-staging-mum";
const BUCKET = "arn:aws:s3:::helium-files-staging-mum";

/** Actions that have no resource-level permissions: the only ones allowed on Resource "*". */
const NO_RESOURCE_LEVEL_ACTIONS = new Set([
  "ecr:GetAuthorizationToken",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
]);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The policy pack's least-privilege rule, applied to one document. */
function assertLeastPrivilege(statements: readonly Statement[], where: string): void {
  for (const statement of statements) {
    const actions = list(statement.Action).map(String);
    for (const action of actions) assert.ok(!action.includes("*"), `${where}: wildcard action ${action}`);
    if (list(statement.Resource).includes("*")) {
      const scoped = actions.filter((a) => !NO_RESOURCE_LEVEL_ACTIONS.has(a));
      assert.deepEqual(scoped, [], `${where}: Resource "*" for actions that support resource-level permissions`);
    }
  }
}

/** Statements as the role policy will hold them, Outputs resolved. */
async function resolved(statements: PolicyStatement[]): Promise<Statement[]> {
  return parsePolicy(await valueOf(policyDocument(statements))).Statement;
}

const bySid = (statements: readonly Statement[]) => Object.fromEntries(statements.map((s) => [String(s.Sid), s]));

const execution = (injectsSecrets: boolean) =>
  resolved(
    executionRoleStatements({
      repositoryArns: [REPOSITORY],
      logGroupArn: LOG_GROUP,
      secretArn: SECRET,
      kmsKeyArn: KEY,
      region: REGION,
      injectsSecrets,
    }),
  );
const task = (queue: ServiceModel["queue"], filesBucketAccess: boolean, xray: boolean) =>
  resolved(
    taskRoleStatements({
      queue,
      queueArn: QUEUE,
      filesBucketArn: BUCKET,
      kmsKeyArn: KEY,
      region: REGION,
      filesBucketAccess,
      xray,
    }),
  );

describe("service IAM statements (iam.ts)", () => {
  it("lets ECS pull from the given repositories only, log to its own group and read the secret through Secrets Manager", async () => {
    const statements = bySid(await execution(true));
    assert.deepEqual(Object.keys(statements), [
      "PullServiceImages",
      "EcrLogin",
      "WriteServiceLogs",
      "ReadBackendSecret",
      "DecryptBackendSecret",
    ]);
    assert.deepEqual(statements.PullServiceImages.Resource, [REPOSITORY]);
    assert.deepEqual(statements.PullServiceImages.Action, [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]);
    assert.equal(statements.EcrLogin.Resource, "*");
    assert.equal(statements.EcrLogin.Action, "ecr:GetAuthorizationToken");
    assert.equal(statements.WriteServiceLogs.Resource, `${LOG_GROUP}:log-stream:*`);
    assert.deepEqual(statements.WriteServiceLogs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert.deepEqual(statements.ReadBackendSecret, {
      Sid: "ReadBackendSecret",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: SECRET,
    });
    assert.deepEqual(statements.DecryptBackendSecret, {
      Sid: "DecryptBackendSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` } },
    });
  });

  it("gives a service that injects no secret no access to the secret or its key", async () => {
    const statements = await execution(false);
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ["PullServiceImages", "EcrLogin", "WriteServiceLogs"],
    );
  });

  it("lets a producer send to the queue and a consumer receive from it, never both", async () => {
    const producer = bySid(await task("producer", false, false));
    assert.deepEqual(producer, {
      SendWork: {
        Sid: "SendWork",
        Effect: "Allow",
        Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Resource: QUEUE,
      },
    });
    const consumer = bySid(await task("consumer", false, false));
    assert.deepEqual(consumer, {
      ConsumeWork: {
        Sid: "ConsumeWork",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: QUEUE,
      },
    });
    assert.deepEqual(await task("none", false, false), [], "a service with no needs gets no statement");
  });

  it("scopes files access to the bucket's objects, its listing and the region key through S3", async () => {
    const statements = bySid(await task("none", true, false));
    assert.deepEqual(Object.keys(statements), ["FilesObjects", "FilesList", "FilesEncryption"]);
    assert.equal(statements.FilesObjects.Resource, `${BUCKET}/*`);
    assert.deepEqual(statements.FilesObjects.Action, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    assert.equal(statements.FilesList.Resource, BUCKET);
    assert.equal(statements.FilesList.Action, "s3:ListBucket");
    assert.deepEqual(statements.FilesEncryption, {
      Sid: "FilesEncryption",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } },
    });
  });

  it("lets X-Ray users write traces and read sampling rules", async () => {
    assert.deepEqual(await task("none", false, true), [
      {
        Sid: "XRayWrite",
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
        ],
        Resource: "*",
      },
    ]);
  });

  it("has no wildcard action and `*` only for actions without resource-level permissions, in every combination", async () => {
    for (const injects of [true, false]) assertLeastPrivilege(await execution(injects), `execution ${injects}`);
    for (const queue of ["none", "producer", "consumer"] as const)
      for (const files of [true, false])
        for (const xray of [true, false])
          assertLeastPrivilege(await task(queue, files, xray), `task ${queue} ${files} ${xray}`);
  });

  it("the least-privilege check itself rejects a wildcard action and a misplaced `*` resource", () => {
    assert.throws(() => assertLeastPrivilege([{ Action: "s3:*", Resource: "arn:aws:s3:::b" }], "t"), /wildcard action/);
    assert.throws(() => assertLeastPrivilege([{ Action: ["sqs:SendMessage"], Resource: "*" }], "t"), /resource-level/);
  });
});
