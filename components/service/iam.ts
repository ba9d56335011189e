/**
 * The IAM statements of one service, as plain data: the execution role (what ECS needs to start a task) and
 * the task role (what the application needs at run time). Each statement names exact ARNs; `*` appears
 * only for actions that have no resource-level permissions, with the reason beside it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../lib/iam";
import type { ServiceModel } from "../../model/types/service";

/** Execution-role statements: what ECS itself needs to start the task (pull, log, fetch secrets). */
export function executionRoleStatements(refs: {
  readonly repositoryArns: pulumi.Input<string>[];
  readonly logGroupArn: pulumi.Input<string>;
  readonly secretArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly injectsSecrets: boolean;
  /** The RDS-managed master user secret, for a database consumer only. Defaults to none. */
  readonly databaseSecretArn?: pulumi.Input<string>;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "PullServiceImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: refs.repositoryArns,
    },
    // GetAuthorizationToken is account-wide: it has no resource-level permissions, so `*` is the only valid resource.
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "WriteServiceLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${refs.logGroupArn}:log-stream:*`,
    },
  ];
  if (refs.injectsSecrets) {
    statements.push(
      { Sid: "ReadBackendSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: refs.secretArn },
      {
        Sid: "DecryptBackendSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: refs.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${refs.region}.amazonaws.com` } },
      },
    );
  }
  if (refs.databaseSecretArn !== undefined) {
    // DB_USER and DB_PASSWORD come from this secret only. It is encrypted with the same region key, which the
    // decrypt statement above allows through Secrets Manager (a consumer always injects DB_HOST and friends).
    statements.push({
      Sid: "ReadDatabaseCredentials",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: refs.databaseSecretArn,
    });
    if (!refs.injectsSecrets) {
      statements.push({
        Sid: "DecryptDatabaseCredentials",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: refs.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${refs.region}.amazonaws.com` } },
      });
    }
  }
  return statements;
}

/** Task-role statements: what the application needs at run time, nothing more. */
export function taskRoleStatements(refs: {
  readonly queue: ServiceModel["queue"];
  readonly queueArn: pulumi.Input<string>;
  readonly filesBucketArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly filesBucketAccess: boolean;
  readonly xray: boolean;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (refs.queue === "producer") {
    statements.push({
      Sid: "SendWork",
      Effect: "Allow",
      Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      Resource: refs.queueArn,
    });
  } else if (refs.queue === "consumer") {
    statements.push({
      Sid: "ConsumeWork",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: refs.queueArn,
    });
  }
  if (refs.filesBucketAccess) {
    statements.push(
      {
        Sid: "FilesObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: pulumi.interpolate`${refs.filesBucketArn}/*`,
      },
      { Sid: "FilesList", Effect: "Allow", Action: "s3:ListBucket", Resource: refs.filesBucketArn },
      {
        // The bucket is SSE-KMS with the region key: reading needs Decrypt, writing needs GenerateDataKey.
        Sid: "FilesEncryption",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: refs.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${refs.region}.amazonaws.com` } },
      },
    );
  }
  if (refs.xray) {
    // X-Ray's write and sampling APIs have no resource-level permissions: `*` is the only valid resource.
    statements.push({
      Sid: "XRayWrite",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    });
  }
  return statements;
}

/**
 * Task-role statements of a service that opts in to ECS Exec (ECS developer guide, "Monitor Amazon ECS
 * containers with ECS Exec", IAM permissions): the SSM Session Manager channels the agent in the task opens,
 * writing the session log to the cluster's exec log group, and decrypting with the cluster's exec key.
 */
export function execStatements(refs: {
  readonly sessionLogGroupArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
}): PolicyStatement[] {
  return [
    {
      // The ssmmessages channel actions have no resource-level permissions: `*` is the only valid resource.
      Sid: "EcsExecChannels",
      Effect: "Allow",
      Action: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
      ],
      Resource: "*",
    },
    // DescribeLogGroups has no resource-level permissions; the agent checks the log group exists with it.
    { Sid: "EcsExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    {
      Sid: "EcsExecWriteSessionLog",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: pulumi.interpolate`${refs.sessionLogGroupArn}:*`,
    },
    { Sid: "EcsExecDecryptSession", Effect: "Allow", Action: "kms:Decrypt", Resource: refs.kmsKeyArn },
  ];
}
