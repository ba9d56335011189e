/**
 * Mock outputs of everything beside the traffic path: IAM, KMS, logs and alarms, storage, ECS and its
 * scaling, queues, caches, databases, secrets, notifications, Grafana, X-Ray, ECR and random values
 * (offline/mock-outputs.ts dispatches here).
 */
import { stableHash } from "../lib/name-fitting";
import { type MockContext, type MockState, str, uniqueSuffix, uuidFrom } from "./mock-context";

/** Id and state of a resource outside the traffic path; undefined for types without a special case. */
export function serviceState(context: MockContext): MockState | undefined {
  const { type, logicalName, inputs, seed, h8, h17, r, account, name, arn, withState } = context;
  switch (type) {
    case "aws:cloudwatch/logGroup:LogGroup":
      return withState(name, { name, arn: arn("logs", `log-group:${name}`) });
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return withState(name, { name, arn: arn("cloudwatch", `alarm:${name}`) });
    case "aws:cloudwatch/dashboard:Dashboard": {
      const dashboardName = str(inputs.dashboardName) ?? name;
      return withState(dashboardName, { dashboardArn: `arn:aws:cloudwatch::${account}:dashboard/${dashboardName}` });
    }
    case "aws:iam/role:Role":
      return withState(name, {
        name,
        arn: `arn:aws:iam::${account}:role${str(inputs.path) ?? "/"}${name}`,
        uniqueId: `AROA${h17.toUpperCase()}`,
      });
    case "aws:iam/policy:Policy":
      return withState(`arn:aws:iam::${account}:policy/${name}`, {
        name,
        arn: `arn:aws:iam::${account}:policy/${name}`,
      });
    case "aws:iam/rolePolicy:RolePolicy":
      return withState(`${str(inputs.role) ?? "role"}:${name}`, { name });
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const host = (str(inputs.url) ?? "https://token.actions.githubusercontent.com").replace(/^https:\/\//, "");
      return withState(`arn:aws:iam::${account}:oidc-provider/${host}`, {
        arn: `arn:aws:iam::${account}:oidc-provider/${host}`,
      });
    }
    case "aws:kms/key:Key": {
      const keyId = uuidFrom(seed);
      return withState(keyId, { keyId, arn: arn("kms", `key/${keyId}`) });
    }
    case "aws:kms/alias:Alias":
      return withState(str(inputs.name) ?? `alias/${logicalName}`, {
        arn: arn("kms", str(inputs.name) ?? `alias/${logicalName}`),
      });
    case "aws:s3/bucket:Bucket": {
      // With bucketPrefix the provider names the bucket <prefix><26-digit unique suffix> (id.PrefixedUniqueId);
      // with neither bucket nor bucketPrefix, Pulumi's auto-name (logical name and a suffix).
      const prefix = str(inputs.bucketPrefix);
      const bucket =
        str(inputs.bucket) ??
        (prefix !== undefined ? `${prefix}${uniqueSuffix(seed)}` : `${logicalName}-${h8}`.toLowerCase());
      return withState(bucket, {
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${r}.amazonaws.com`,
        hostedZoneId: "Z3O0J2DXBE1FTB",
      });
    }
    case "aws:ecs/cluster:Cluster":
      return withState(arn("ecs", `cluster/${name}`), { name, arn: arn("ecs", `cluster/${name}`) });
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = str(inputs.family) ?? name;
      return withState(family, {
        arn: arn("ecs", `task-definition/${family}:1`),
        arnWithoutRevision: arn("ecs", `task-definition/${family}`),
        revision: 1,
      });
    }
    case "aws:ecs/service:Service": {
      const cluster = (str(inputs.cluster) ?? "").split("/").pop() ?? "cluster";
      return withState(arn("ecs", `service/${cluster}/${name}`), {
        name,
        arn: arn("ecs", `service/${cluster}/${name}`),
      });
    }
    case "aws:appautoscaling/target:Target":
      return withState(str(inputs.resourceId) ?? h17, {
        arn: arn("application-autoscaling", `scalable-target/${h17}`),
      });
    case "aws:appautoscaling/policy:Policy":
      return withState(name, { name, arn: arn("autoscaling", `scalingPolicy:${uuidFrom(seed)}:resource/ecs/${name}`) });
    case "aws:sqs/queue:Queue": {
      const queueName = name;
      const url = `https://sqs.${r}.amazonaws.com/${account}/${queueName}`;
      return withState(url, { name: queueName, url, arn: arn("sqs", queueName) });
    }
    case "aws:elasticache/subnetGroup:SubnetGroup":
      return withState(name, { name, arn: arn("elasticache", `subnetgroup:${name}`) });
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const groupId = str(inputs.replicationGroupId) ?? name;
      const short = stableHash(seed, 6);
      return withState(groupId, {
        arn: arn("elasticache", `replicationgroup:${groupId}`),
        primaryEndpointAddress: `master.${groupId}.${short}.${r.replace(/-/g, "").slice(0, 4)}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${groupId}.${short}.${r.replace(/-/g, "").slice(0, 4)}.cache.amazonaws.com`,
        port: inputs.port ?? 6379,
      });
    }
    case "aws:rds/subnetGroup:SubnetGroup":
    case "aws:rds/parameterGroup:ParameterGroup": {
      // With namePrefix the provider appends a 26-character unique suffix (terraform-plugin-sdk id.PrefixedUniqueId).
      const groupName = str(inputs.name) ?? `${str(inputs.namePrefix) ?? `${logicalName}-`}${uniqueSuffix(seed)}`;
      const kind = type.endsWith("SubnetGroup") ? "subgrp" : "pg";
      return withState(groupName, { name: groupName, arn: arn("rds", `${kind}:${groupName}`) });
    }
    case "aws:rds/instance:Instance": {
      const identifier =
        str(inputs.identifier) ?? `${str(inputs.identifierPrefix) ?? "terraform-"}${uniqueSuffix(seed)}`;
      const address = `${identifier}.c${stableHash(seed, 11)}.${r}.rds.amazonaws.com`;
      const port = typeof inputs.port === "number" ? inputs.port : 5432;
      const managed = inputs.manageMasterUserPassword === true;
      return withState(`db-${stableHash(seed, 26).toUpperCase()}`, {
        identifier,
        address,
        endpoint: `${address}:${port}`,
        port,
        arn: arn("rds", `db:${identifier}`),
        resourceId: `db-${stableHash(seed, 26).toUpperCase()}`,
        hostedZoneId: "Z2VFMSZA74J7XZ",
        // RDS names its managed secret rds!db-<uuid> (Secrets Manager adds a 6-character suffix to the ARN).
        masterUserSecrets: managed
          ? [
              {
                secretArn: arn("secretsmanager", `secret:rds!db-${uuidFrom(seed)}-${stableHash(seed, 6)}`),
                kmsKeyId: str(inputs.masterUserSecretKmsKeyId) ?? arn("kms", "alias/aws/secretsmanager"),
                secretStatus: "active",
              },
            ]
          : [],
      });
    }
    case "aws:secretsmanager/secret:Secret": {
      const secretArn = arn("secretsmanager", `secret:${name}-${stableHash(seed, 6)}`);
      return withState(secretArn, { arn: secretArn, name });
    }
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      // Each new value is a new version with a new id (PutSecretValue), as task definitions that pin it expect.
      const versionId = uuidFrom(`${seed}::${JSON.stringify(inputs.secretString ?? inputs.secretBinary ?? null)}`);
      return withState(`${str(inputs.secretId) ?? "secret"}|${versionId}`, {
        versionId,
        arn: str(inputs.secretId),
      });
    }
    case "aws:sns/topic:Topic":
      return withState(arn("sns", name), { name, arn: arn("sns", name) });
    case "aws:sns/topicSubscription:TopicSubscription":
      return withState(`${str(inputs.topic) ?? arn("sns", "topic")}:${uuidFrom(seed)}`, {
        arn: `${str(inputs.topic) ?? arn("sns", "topic")}:${uuidFrom(seed)}`,
      });
    case "aws:grafana/workspace:Workspace": {
      const id = `g-${stableHash(seed, 10)}`;
      return withState(id, {
        arn: arn("grafana", `/workspaces/${id}`),
        endpoint: `${id}.grafana-workspace.${r}.amazonaws.com`,
      });
    }
    case "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": {
      // AWS returns the service account's numeric id; the resource id is `<workspace id>,<service account id>`.
      const serviceAccountId = String(parseInt(h8, 16) % 100000);
      return withState(`${str(inputs.workspaceId) ?? "g-0000000000"},${serviceAccountId}`, { serviceAccountId });
    }
    case "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": {
      const serviceAccountTokenId = String(parseInt(h8, 16) % 100000);
      return withState(`${str(inputs.workspaceId) ?? "g-0000000000"},${serviceAccountTokenId}`, {
        serviceAccountTokenId,
        key: `glsa_${stableHash(seed + "key", 32)}_${h8}`,
      });
    }
    case "aws:xray/group:Group":
      return withState(arn("xray", `group/${str(inputs.groupName) ?? name}/${h17}`), {
        arn: arn("xray", `group/${str(inputs.groupName) ?? name}/${h17}`),
      });
    case "aws:xray/samplingRule:SamplingRule":
      return withState(str(inputs.ruleName) ?? name, {
        arn: arn("xray", `sampling-rule/${str(inputs.ruleName) ?? name}`),
      });
    case "aws:ecr/repository:Repository": {
      const repoName = name;
      return withState(repoName, {
        name: repoName,
        arn: arn("ecr", `repository/${repoName}`),
        registryId: account,
        repositoryUrl: `${account}.dkr.ecr.${r}.amazonaws.com/${repoName}`,
      });
    }
    case "random:index/randomId:RandomId": {
      const byteLength = typeof inputs.byteLength === "number" ? inputs.byteLength : 4;
      const hex = stableHash(seed, byteLength * 2);
      return withState(Buffer.from(hex, "hex").toString("base64url"), {
        hex,
        dec: BigInt(`0x${hex}`).toString(),
        b64Std: Buffer.from(hex, "hex").toString("base64"),
        b64Url: Buffer.from(hex, "hex").toString("base64url"),
      });
    }
    case "random:index/randomPassword:RandomPassword": {
      const length = typeof inputs.length === "number" ? inputs.length : 32;
      const result = stableHash(seed, 64).repeat(2).slice(0, length);
      return withState(h17, { result, bcryptHash: `$2a$10$${h17}` });
    }
    default:
      return undefined;
  }
}
