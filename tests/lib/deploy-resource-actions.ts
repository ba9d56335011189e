/**
 * What the AWS provider calls for each resource type the environment programs register: per type, the IAM
 * actions of create, read, update, delete and tagging, and the ARN each is authorized on (built from the
 * recorded resource; `*` for actions AWS defines without a resource type). The deploy roles must grant every
 * one of them (tests/lib/deploy-permissions-resource-types.test.ts).
 *
 * Test-only data. A resource type the programs register and this table lacks fails that test: whoever adds a
 * resource type writes its row here and checks the role against it.
 */
import type { RecordedResource } from "../../offline/types";

export const ACCOUNT = "111122223333";

export type Operation = "create" | "read" | "update" | "delete" | "tag";
export const OPERATIONS: readonly Operation[] = ["create", "read", "update", "delete", "tag"];

/** One call: the action, the ARN it is authorized on, and condition-key values beyond region and tags. */
export interface Call {
  readonly action: string;
  readonly arn: string;
  readonly context?: Readonly<Record<string, string>>;
}

export type ResourceActions = (
  r: RecordedResource,
  environment: string,
  /** Every resource of the stack, to look up the one a resource belongs to. */
  all: readonly RecordedResource[],
) => Partial<Record<Operation, readonly Call[]>>;

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));
const last = (value: unknown, separator = "/"): string => text(value).split(separator).pop() ?? "";

/** A regional ARN of the resource's region in the test account. */
const at = (r: RecordedResource, service: string, resource: string): string =>
  `arn:aws:${service}:${r.region ?? ""}:${ACCOUNT}:${resource}`;
/** The same actions, all on one ARN. */
const on = (arn: string, ...actions: string[]): Call[] => actions.map((action) => ({ action, arn }));
/** Actions AWS authorizes only against `*`. */
const anywhere = (...actions: string[]): Call[] => on("*", ...actions);

const ec2 = (type: string, extra: { create: string[]; update?: string[]; delete: string[] }): ResourceActions => {
  return (r) => {
    const arn = at(r, "ec2", `${type}/${text(r.id)}`);
    return {
      create: on(arn, ...extra.create),
      read: anywhere("ec2:DescribeVpcs"),
      ...(extra.update ? { update: on(arn, ...extra.update) } : {}),
      delete: on(arn, ...extra.delete),
      tag: on(arn, "ec2:CreateTags", "ec2:DeleteTags"),
    };
  };
};

/** The ARN of a bucket: its name, or (a generated name) its prefix and a suffix. */
const bucketArn = (r: RecordedResource): string =>
  `arn:aws:s3:::${text(r.inputs.bucket ?? `${text(r.inputs.bucketPrefix)}20261129abcdefghijklmnop`)}`;

/** Sub-resources of a bucket: authorized on the bucket (found by its id among the stack's resources). */
const bucketPart =
  (...actions: string[]): ResourceActions =>
  (r, _environment, all) => {
    const bucket = all.find((b) => b.type === "aws:s3/bucket:Bucket" && b.id === r.inputs.bucket);
    return { update: on(bucket ? bucketArn(bucket) : `arn:aws:s3:::${text(r.inputs.bucket)}`, ...actions) };
  };

/** API Gateway V2 resources of an API (`/apis/<id>/<collection>/<id>`). */
const apiChild =
  (collection: string): ResourceActions =>
  (r) => {
    const base = `arn:aws:apigateway:${r.region ?? ""}::/apis/${text(r.inputs.apiId)}/${collection}`;
    const one = `${base}/${collection === "stages" ? text(r.inputs.name) : text(r.id)}`;
    return {
      create: on(base, "apigateway:POST"),
      read: on(one, "apigateway:GET"),
      update: on(one, "apigateway:PATCH"),
      delete: on(one, "apigateway:DELETE"),
    };
  };

/** RDS resources by their generated names (`arn:aws:rds:<region>:<account>:<kind>:<name>`). */
const rds =
  (kind: string, create: string, modify: string, remove: string, describe: string[]): ResourceActions =>
  (r) => {
    const arn = at(r, "rds", `${kind}:${last(r.outputs.arn ?? r.id, ":")}`);
    return {
      create: on(arn, create),
      read: on(arn, ...describe),
      update: on(arn, modify),
      delete: on(arn, remove),
      tag: on(arn, "rds:AddTagsToResource", "rds:RemoveTagsFromResource", "rds:ListTagsForResource"),
    };
  };

export const RESOURCE_ACTIONS: Readonly<Record<string, ResourceActions>> = {
  // ── Network ─────────────────────────────────────────────────────────────────────────────────────────
  "aws:ec2/vpc:Vpc": ec2("vpc", {
    create: ["ec2:CreateVpc"],
    update: ["ec2:ModifyVpcAttribute", "ec2:DescribeVpcAttribute"],
    delete: ["ec2:DeleteVpc"],
  }),
  "aws:ec2/subnet:Subnet": ec2("subnet", {
    create: ["ec2:CreateSubnet"],
    update: ["ec2:ModifySubnetAttribute"],
    delete: ["ec2:DeleteSubnet"],
  }),
  "aws:ec2/internetGateway:InternetGateway": ec2("internet-gateway", {
    create: ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway"],
    delete: ["ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"],
  }),
  "aws:ec2/eip:Eip": ec2("elastic-ip", { create: ["ec2:AllocateAddress"], delete: ["ec2:ReleaseAddress"] }),
  "aws:ec2/natGateway:NatGateway": ec2("natgateway", {
    create: ["ec2:CreateNatGateway"],
    delete: ["ec2:DeleteNatGateway"],
  }),
  "aws:ec2/routeTable:RouteTable": ec2("route-table", {
    create: ["ec2:CreateRouteTable"],
    delete: ["ec2:DeleteRouteTable"],
  }),
  "aws:ec2/route:Route": (r) => {
    const arn = at(r, "ec2", `route-table/${text(r.inputs.routeTableId)}`);
    return {
      create: on(arn, "ec2:CreateRoute"),
      read: anywhere("ec2:DescribeRouteTables"),
      update: on(arn, "ec2:ReplaceRoute"),
      delete: on(arn, "ec2:DeleteRoute"),
    };
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": (r) => {
    const arn = at(r, "ec2", `route-table/${text(r.inputs.routeTableId)}`);
    return {
      create: on(arn, "ec2:AssociateRouteTable"),
      read: anywhere("ec2:DescribeRouteTables"),
      delete: on(arn, "ec2:DisassociateRouteTable"),
    };
  },
  "aws:ec2/securityGroup:SecurityGroup": ec2("security-group", {
    create: ["ec2:CreateSecurityGroup"],
    update: ["ec2:RevokeSecurityGroupEgress"],
    delete: ["ec2:DeleteSecurityGroup"],
  }),
  // The VPC's own group: adopted and tagged (claimed while untagged: not checked here), never created.
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (r) => {
    const arn = at(r, "ec2", `security-group/${text(r.id)}`);
    return {
      read: anywhere("ec2:DescribeSecurityGroups"),
      update: on(arn, "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"),
      tag: on(arn, "ec2:CreateTags", "ec2:DeleteTags"),
    };
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (r) => {
    const group = at(r, "ec2", `security-group/${text(r.inputs.securityGroupId)}`);
    const rule = at(r, "ec2", `security-group-rule/${text(r.id)}`);
    return {
      create: [...on(group, "ec2:AuthorizeSecurityGroupIngress"), ...on(rule, "ec2:AuthorizeSecurityGroupIngress")],
      read: anywhere("ec2:DescribeSecurityGroupRules"),
      update: on(group, "ec2:ModifySecurityGroupRules"),
      delete: on(group, "ec2:RevokeSecurityGroupIngress"),
      tag: on(rule, "ec2:CreateTags", "ec2:DeleteTags"),
    };
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (r) => {
    const group = at(r, "ec2", `security-group/${text(r.inputs.securityGroupId)}`);
    const rule = at(r, "ec2", `security-group-rule/${text(r.id)}`);
    return {
      create: [...on(group, "ec2:AuthorizeSecurityGroupEgress"), ...on(rule, "ec2:AuthorizeSecurityGroupEgress")],
      read: anywhere("ec2:DescribeSecurityGroupRules"),
      update: on(group, "ec2:ModifySecurityGroupRules"),
      delete: on(group, "ec2:RevokeSecurityGroupEgress"),
      tag: on(rule, "ec2:CreateTags", "ec2:DeleteTags"),
    };
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpc-endpoint", {
    create: ["ec2:CreateVpcEndpoint"],
    update: ["ec2:ModifyVpcEndpoint"],
    delete: ["ec2:DeleteVpcEndpoints"],
  }),
  "aws:ec2/flowLog:FlowLog": (r, environment, all) => ({
    ...ec2("vpc-flow-log", { create: ["ec2:CreateFlowLogs"], delete: ["ec2:DeleteFlowLogs"] })(r, environment, all),
    // The flow-log role is passed to the flow-logs service.
    update: [
      {
        action: "iam:PassRole",
        arn: text(r.inputs.iamRoleArn),
        context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" },
      },
    ],
  }),

  // ── Load balancing ──────────────────────────────────────────────────────────────────────────────────
  "aws:lb/loadBalancer:LoadBalancer": (r) => ({
    create: on(text(r.id), "elasticloadbalancing:CreateLoadBalancer"),
    read: anywhere("elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes"),
    update: on(
      text(r.id),
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetSecurityGroups",
    ),
    delete: on(text(r.id), "elasticloadbalancing:DeleteLoadBalancer"),
    tag: [
      ...on(text(r.id), "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
      ...anywhere("elasticloadbalancing:DescribeTags"),
    ],
  }),
  "aws:lb/targetGroup:TargetGroup": (r) => ({
    create: on(text(r.id), "elasticloadbalancing:CreateTargetGroup"),
    read: anywhere("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes"),
    update: on(
      text(r.id),
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
    ),
    delete: on(text(r.id), "elasticloadbalancing:DeleteTargetGroup"),
    tag: on(text(r.id), "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
  }),
  "aws:lb/listener:Listener": (r) => ({
    create: on(text(r.inputs.loadBalancerArn), "elasticloadbalancing:CreateListener"),
    read: anywhere("elasticloadbalancing:DescribeListeners"),
    update: on(text(r.id), "elasticloadbalancing:ModifyListener"),
    delete: on(text(r.id), "elasticloadbalancing:DeleteListener"),
    tag: on(text(r.id), "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
  }),
  "aws:lb/listenerRule:ListenerRule": (r) => ({
    create: on(text(r.inputs.listenerArn), "elasticloadbalancing:CreateRule"),
    read: anywhere("elasticloadbalancing:DescribeRules"),
    update: on(text(r.id), "elasticloadbalancing:ModifyRule"),
    delete: on(text(r.id), "elasticloadbalancing:DeleteRule"),
    tag: on(text(r.id), "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"),
  }),

  // ── Compute ─────────────────────────────────────────────────────────────────────────────────────────
  "aws:ecs/cluster:Cluster": (r) => ({
    create: on(text(r.id), "ecs:CreateCluster"),
    read: on(text(r.id), "ecs:DescribeClusters"),
    update: on(text(r.id), "ecs:UpdateCluster"),
    delete: on(text(r.id), "ecs:DeleteCluster"),
    tag: on(text(r.id), "ecs:TagResource", "ecs:UntagResource"),
  }),
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (r) => ({
    update: on(at(r, "ecs", `cluster/${text(r.inputs.clusterName)}`), "ecs:PutClusterCapacityProviders"),
  }),
  "aws:ecs/service:Service": (r) => ({
    create: on(text(r.id), "ecs:CreateService"),
    read: on(text(r.id), "ecs:DescribeServices"),
    update: on(text(r.id), "ecs:UpdateService"),
    delete: on(text(r.id), "ecs:DeleteService"),
    tag: on(text(r.id), "ecs:TagResource", "ecs:UntagResource"),
  }),
  "aws:ecs/taskDefinition:TaskDefinition": (r) => ({
    create: on(at(r, "ecs", `task-definition/${text(r.inputs.family)}:1`), "ecs:RegisterTaskDefinition"),
    read: anywhere("ecs:DescribeTaskDefinition"),
    delete: anywhere("ecs:DeregisterTaskDefinition"),
    update: [
      ...[r.inputs.executionRoleArn, r.inputs.taskRoleArn]
        .filter((arn) => arn !== undefined)
        .map((arn) => ({
          action: "iam:PassRole",
          arn: text(arn),
          context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        })),
    ],
  }),
  "aws:appautoscaling/target:Target": (r) => {
    const arn = text(r.outputs.arn);
    return {
      create: on(arn, "application-autoscaling:RegisterScalableTarget"),
      read: anywhere("application-autoscaling:DescribeScalableTargets"),
      delete: on(arn, "application-autoscaling:DeregisterScalableTarget"),
      tag: on(arn, "application-autoscaling:TagResource"),
    };
  },
  "aws:appautoscaling/policy:Policy": (r) => {
    const target = at(r, "application-autoscaling", "scalable-target/0123456789abcdef0");
    return {
      create: on(target, "application-autoscaling:PutScalingPolicy"),
      read: anywhere("application-autoscaling:DescribeScalingPolicies"),
      delete: on(target, "application-autoscaling:DeleteScalingPolicy"),
    };
  },
  "aws:servicediscovery/httpNamespace:HttpNamespace": (r) => {
    const arn = at(r, "servicediscovery", `namespace/${text(r.id)}`);
    return {
      create: anywhere("servicediscovery:CreateHttpNamespace"),
      read: [...on(arn, "servicediscovery:GetNamespace"), ...anywhere("servicediscovery:ListTagsForResource")],
      update: on(arn, "servicediscovery:UpdateHttpNamespace", "servicediscovery:GetOperation"),
      delete: on(arn, "servicediscovery:DeleteNamespace"),
    };
  },
  "aws:iam/role:Role": (r) => {
    const arn = `arn:aws:iam::${ACCOUNT}:role${text(r.inputs.path ?? "/")}${text(r.inputs.name)}`;
    return {
      create: on(arn, "iam:CreateRole"),
      read: on(arn, "iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"),
      update: on(arn, "iam:UpdateRole", "iam:UpdateAssumeRolePolicy"),
      delete: on(arn, "iam:DeleteRole", "iam:ListInstanceProfilesForRole"),
      tag: on(arn, "iam:TagRole", "iam:UntagRole"),
    };
  },
  // Its id is <role name>:<policy name>; the roles are under the environment's path.
  "aws:iam/rolePolicy:RolePolicy": (r, environment) => ({
    update: on(
      `arn:aws:iam::${ACCOUNT}:role/helium/${environment}/${text(r.id).split(":")[0]}`,
      "iam:PutRolePolicy",
      "iam:GetRolePolicy",
      "iam:DeleteRolePolicy",
    ),
  }),

  // ── Data ────────────────────────────────────────────────────────────────────────────────────────────
  "aws:sqs/queue:Queue": (r) => {
    const arn = at(r, "sqs", text(r.inputs.name));
    return {
      create: on(arn, "sqs:CreateQueue"),
      read: on(arn, "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
      update: on(arn, "sqs:SetQueueAttributes"),
      delete: on(arn, "sqs:DeleteQueue"),
      tag: on(arn, "sqs:TagQueue", "sqs:UntagQueue", "sqs:ListQueueTags"),
    };
  },
  "aws:sqs/queuePolicy:QueuePolicy": (r) => ({
    update: on(at(r, "sqs", last(r.inputs.queueUrl)), "sqs:SetQueueAttributes", "sqs:GetQueueAttributes"),
  }),
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": (r) => ({
    update: on(at(r, "sqs", last(r.inputs.queueUrl)), "sqs:SetQueueAttributes", "sqs:GetQueueAttributes"),
  }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (r) => {
    const arn = at(r, "elasticache", `replicationgroup:${text(r.inputs.replicationGroupId)}`);
    return {
      create: on(arn, "elasticache:CreateReplicationGroup"),
      read: on(arn, "elasticache:DescribeReplicationGroups"),
      update: on(arn, "elasticache:ModifyReplicationGroup"),
      delete: on(arn, "elasticache:DeleteReplicationGroup"),
      tag: on(arn, "elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource"),
    };
  },
  "aws:elasticache/subnetGroup:SubnetGroup": (r) => {
    const arn = at(r, "elasticache", `subnetgroup:${text(r.inputs.name)}`);
    return {
      create: on(arn, "elasticache:CreateCacheSubnetGroup"),
      read: on(arn, "elasticache:DescribeCacheSubnetGroups"),
      update: on(arn, "elasticache:ModifyCacheSubnetGroup"),
      delete: on(arn, "elasticache:DeleteCacheSubnetGroup"),
      tag: on(arn, "elasticache:AddTagsToResource", "elasticache:ListTagsForResource"),
    };
  },
  "aws:secretsmanager/secret:Secret": (r) => {
    const arn = at(r, "secretsmanager", `secret:${text(r.inputs.name)}-AbCdEf`);
    return {
      create: on(arn, "secretsmanager:CreateSecret"),
      read: on(arn, "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"),
      update: on(arn, "secretsmanager:UpdateSecret"),
      delete: on(arn, "secretsmanager:DeleteSecret"),
      tag: on(arn, "secretsmanager:TagResource"),
    };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (r) => ({
    update: on(text(r.inputs.secretId), "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue"),
  }),
  // The RDS-managed master secret (rds!db-…): rotation set through Secrets Manager.
  "aws:secretsmanager/secretRotation:SecretRotation": (r) => ({
    read: on(text(r.inputs.secretId), "secretsmanager:DescribeSecret"),
    update: on(text(r.inputs.secretId), "secretsmanager:RotateSecret", "secretsmanager:CancelRotateSecret"),
  }),
  "aws:s3/bucket:Bucket": (r) => {
    const arn = bucketArn(r);
    return {
      create: on(arn, "s3:CreateBucket"),
      read: on(arn, "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl"),
      delete: on(arn, "s3:DeleteBucket"),
      tag: on(arn, "s3:GetBucketTagging", "s3:PutBucketTagging"),
    };
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketPart(
    "s3:GetBucketOwnershipControls",
    "s3:PutBucketOwnershipControls",
  ),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketPart(
    "s3:GetBucketPublicAccessBlock",
    "s3:PutBucketPublicAccessBlock",
  ),
  "aws:s3/bucketVersioning:BucketVersioning": bucketPart("s3:GetBucketVersioning", "s3:PutBucketVersioning"),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketPart(
    "s3:GetEncryptionConfiguration",
    "s3:PutEncryptionConfiguration",
  ),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketPart(
    "s3:GetLifecycleConfiguration",
    "s3:PutLifecycleConfiguration",
  ),
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": bucketPart("s3:GetBucketCORS", "s3:PutBucketCORS"),
  "aws:s3/bucketPolicy:BucketPolicy": bucketPart("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"),
  "aws:kms/key:Key": (r) => {
    const arn = text(r.outputs.arn);
    return {
      create: anywhere("kms:CreateKey"),
      read: on(arn, "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"),
      update: on(arn, "kms:PutKeyPolicy", "kms:EnableKeyRotation"),
      delete: on(arn, "kms:ScheduleKeyDeletion"),
      tag: on(arn, "kms:TagResource", "kms:ListResourceTags"),
    };
  },
  "aws:kms/alias:Alias": (r) => {
    const arn = at(r, "kms", text(r.inputs.name));
    return {
      create: on(arn, "kms:CreateAlias"),
      read: anywhere("kms:ListAliases"),
      update: on(arn, "kms:UpdateAlias"),
      delete: on(arn, "kms:DeleteAlias"),
    };
  },
  "aws:rds/subnetGroup:SubnetGroup": rds(
    "subgrp",
    "rds:CreateDBSubnetGroup",
    "rds:ModifyDBSubnetGroup",
    "rds:DeleteDBSubnetGroup",
    ["rds:DescribeDBSubnetGroups"],
  ),
  "aws:rds/parameterGroup:ParameterGroup": rds(
    "pg",
    "rds:CreateDBParameterGroup",
    "rds:ModifyDBParameterGroup",
    "rds:DeleteDBParameterGroup",
    ["rds:DescribeDBParameterGroups", "rds:DescribeDBParameters"],
  ),
  "aws:rds/instance:Instance": (r, environment, all) => {
    const calls = rds("db", "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance", [
      "rds:DescribeDBInstances",
    ])(r, environment, all);
    const key = text(r.inputs.kmsKeyId);
    // The instance is authorized on its parameter and subnet groups too (rds:CreateDBInstance, ModifyDBInstance).
    const groups = [
      at(r, "rds", `pg:${text(r.inputs.parameterGroupName)}`),
      at(r, "rds", `subgrp:${text(r.inputs.dbSubnetGroupName)}`),
    ].flatMap((arn) => on(arn, "rds:CreateDBInstance", "rds:ModifyDBInstance"));
    // RDS creates the master user secret and uses the key with the caller's permissions
    // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-permissions).
    const secret = at(r, "secretsmanager", "secret:rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf");
    const managed = [
      ...on(secret, "secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:DeleteSecret"),
      ...on(key, "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"),
    ];
    const snapshot =
      r.inputs.finalSnapshotIdentifier === undefined
        ? []
        : on(at(r, "rds", `snapshot:${text(r.inputs.finalSnapshotIdentifier)}`), "rds:CreateDBSnapshot");
    const monitoring =
      r.inputs.monitoringRoleArn === undefined
        ? []
        : [
            {
              action: "iam:PassRole",
              arn: text(r.inputs.monitoringRoleArn),
              context: { "iam:PassedToService": "monitoring.rds.amazonaws.com" },
            },
          ];
    return {
      ...calls,
      create: [...(calls.create ?? []), ...groups, ...managed, ...monitoring],
      delete: [...(calls.delete ?? []), ...snapshot],
    };
  },

  // ── Edge ────────────────────────────────────────────────────────────────────────────────────────────
  "aws:acm/certificate:Certificate": (r) => ({
    create: [...anywhere("acm:RequestCertificate"), ...on(text(r.id), "acm:AddTagsToCertificate")],
    read: on(text(r.id), "acm:DescribeCertificate", "acm:ListTagsForCertificate"),
    delete: on(text(r.id), "acm:DeleteCertificate"),
    tag: on(text(r.id), "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"),
  }),
  "aws:acm/certificateValidation:CertificateValidation": (r) => ({
    read: on(text(r.inputs.certificateArn), "acm:DescribeCertificate"),
  }),
  "aws:route53/record:Record": (r) => {
    const zone = `arn:aws:route53:::hostedzone/${text(r.inputs.zoneId)}`;
    return {
      create: on(zone, "route53:ChangeResourceRecordSets"),
      read: [...on(zone, "route53:ListResourceRecordSets"), ...on("arn:aws:route53:::change/C1", "route53:GetChange")],
      delete: on(zone, "route53:ChangeResourceRecordSets"),
    };
  },
  "aws:route53/healthCheck:HealthCheck": (r) => {
    const arn = `arn:aws:route53:::healthcheck/${text(r.id)}`;
    return {
      create: anywhere("route53:CreateHealthCheck"),
      read: on(arn, "route53:GetHealthCheck"),
      update: on(arn, "route53:UpdateHealthCheck"),
      delete: on(arn, "route53:DeleteHealthCheck"),
      tag: on(arn, "route53:ChangeTagsForResource", "route53:ListTagsForResource"),
    };
  },
  "aws:globalaccelerator/accelerator:Accelerator": (r) => {
    const arn = `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/${last(r.id)}`;
    return {
      create: [...anywhere("globalaccelerator:CreateAccelerator"), ...on(arn, "globalaccelerator:TagResource")],
      read: on(arn, "globalaccelerator:DescribeAccelerator", "globalaccelerator:DescribeAcceleratorAttributes"),
      update: on(arn, "globalaccelerator:UpdateAccelerator", "globalaccelerator:UpdateAcceleratorAttributes"),
      delete: on(arn, "globalaccelerator:DeleteAccelerator"),
      tag: on(arn, "globalaccelerator:TagResource", "globalaccelerator:UntagResource"),
    };
  },
  "aws:globalaccelerator/listener:Listener": () => {
    const arn = `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/a1/listener/l1`;
    return {
      read: on(arn, "globalaccelerator:DescribeListener"),
      update: on(arn, "globalaccelerator:UpdateListener"),
      delete: on(arn, "globalaccelerator:DeleteListener"),
    };
  },
  "aws:globalaccelerator/endpointGroup:EndpointGroup": () => {
    const arn = `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/a1/listener/l1/endpoint-group/e1`;
    return {
      create: on(
        `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/a1/listener/l1`,
        "globalaccelerator:CreateEndpointGroup",
      ),
      read: on(arn, "globalaccelerator:DescribeEndpointGroup"),
      update: on(arn, "globalaccelerator:UpdateEndpointGroup"),
      delete: on(arn, "globalaccelerator:DeleteEndpointGroup"),
    };
  },
  // API Gateway V2: one action per HTTP verb, authorized on the resource's path
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html).
  "aws:apigatewayv2/api:Api": (r) => {
    const arn = `arn:aws:apigateway:${r.region ?? ""}::/apis/${text(r.id)}`;
    return {
      create: on(`arn:aws:apigateway:${r.region ?? ""}::/apis`, "apigateway:POST"),
      read: on(arn, "apigateway:GET"),
      update: on(arn, "apigateway:PATCH"),
      delete: on(arn, "apigateway:DELETE"),
    };
  },
  "aws:apigatewayv2/vpcLink:VpcLink": (r) => {
    const arn = `arn:aws:apigateway:${r.region ?? ""}::/vpclinks/${text(r.id)}`;
    return {
      create: on(`arn:aws:apigateway:${r.region ?? ""}::/vpclinks`, "apigateway:POST"),
      read: on(arn, "apigateway:GET"),
      update: on(arn, "apigateway:PATCH"),
      delete: on(arn, "apigateway:DELETE"),
    };
  },
  "aws:apigatewayv2/domainName:DomainName": (r) => {
    const arn = `arn:aws:apigateway:${r.region ?? ""}::/domainnames/${text(r.inputs.domainName)}`;
    return {
      create: on(`arn:aws:apigateway:${r.region ?? ""}::/domainnames`, "apigateway:POST"),
      read: on(arn, "apigateway:GET"),
      update: on(arn, "apigateway:PATCH"),
      delete: on(arn, "apigateway:DELETE"),
    };
  },
  "aws:apigatewayv2/apiMapping:ApiMapping": (r) => {
    const base = `arn:aws:apigateway:${r.region ?? ""}::/domainnames/${text(r.inputs.domainName)}/apimappings`;
    return {
      create: on(base, "apigateway:POST"),
      read: on(`${base}/${text(r.id)}`, "apigateway:GET"),
      update: on(`${base}/${text(r.id)}`, "apigateway:PATCH"),
      delete: on(`${base}/${text(r.id)}`, "apigateway:DELETE"),
    };
  },
  "aws:apigatewayv2/stage:Stage": (r, environment, all) => {
    const calls = apiChild("stages")(r, environment, all);
    // Access logs to CloudWatch Logs: API Gateway sets up the log delivery with the caller's permissions
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
    const delivery = anywhere(
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
    );
    return { ...calls, create: [...(calls.create ?? []), ...delivery] };
  },
  "aws:apigatewayv2/integration:Integration": apiChild("integrations"),
  "aws:apigatewayv2/route:Route": apiChild("routes"),
  "aws:apigatewayv2/authorizer:Authorizer": apiChild("authorizers"),

  // ── Observability ───────────────────────────────────────────────────────────────────────────────────
  "aws:cloudwatch/logGroup:LogGroup": (r) => {
    const arn = at(r, "logs", `log-group:${text(r.inputs.name)}`);
    return {
      create: on(arn, "logs:CreateLogGroup"),
      read: [...anywhere("logs:DescribeLogGroups"), ...on(arn, "logs:ListTagsForResource")],
      update: on(arn, "logs:PutRetentionPolicy", "logs:AssociateKmsKey"),
      delete: on(arn, "logs:DeleteLogGroup"),
      tag: on(arn, "logs:TagResource", "logs:UntagResource"),
    };
  },
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": (r) => {
    const arn = at(r, "logs", `log-group:${text(r.inputs.logGroupName)}`);
    return {
      create: on(arn, "logs:PutMetricFilter"),
      read: on(arn, "logs:DescribeMetricFilters"),
      update: on(arn, "logs:PutMetricFilter"),
      delete: on(arn, "logs:DeleteMetricFilter"),
    };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => {
    const arn = at(r, "cloudwatch", `alarm:${text(r.inputs.name)}`);
    return {
      create: on(arn, "cloudwatch:PutMetricAlarm"),
      read: on(arn, "cloudwatch:DescribeAlarms"),
      delete: on(arn, "cloudwatch:DeleteAlarms"),
      tag: on(arn, "cloudwatch:TagResource", "cloudwatch:ListTagsForResource"),
    };
  },
  "aws:cloudwatch/dashboard:Dashboard": (r) => {
    const arn = `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${text(r.inputs.dashboardName)}`;
    return {
      create: on(arn, "cloudwatch:PutDashboard"),
      read: on(arn, "cloudwatch:GetDashboard"),
      delete: on(arn, "cloudwatch:DeleteDashboards"),
    };
  },
  "aws:sns/topic:Topic": (r) => {
    const arn = at(r, "sns", text(r.inputs.name));
    return {
      create: on(arn, "sns:CreateTopic"),
      read: on(arn, "sns:GetTopicAttributes"),
      update: on(arn, "sns:SetTopicAttributes"),
      delete: on(arn, "sns:DeleteTopic"),
      tag: on(arn, "sns:TagResource", "sns:ListTagsForResource"),
    };
  },
  "aws:sns/topicPolicy:TopicPolicy": (r) => ({
    update: on(text(r.inputs.arn), "sns:SetTopicAttributes", "sns:GetTopicAttributes"),
  }),
  "aws:sns/topicSubscription:TopicSubscription": (r) => ({
    create: on(text(r.inputs.topic), "sns:Subscribe"),
    read: on(text(r.id), "sns:GetSubscriptionAttributes"),
    update: on(text(r.id), "sns:SetSubscriptionAttributes"),
    delete: on(text(r.id), "sns:Unsubscribe"),
  }),
  "aws:xray/samplingRule:SamplingRule": (r) => {
    const arn = at(r, "xray", `sampling-rule/${text(r.inputs.ruleName)}`);
    return {
      create: on(arn, "xray:CreateSamplingRule"),
      read: anywhere("xray:GetSamplingRules"),
      update: on(arn, "xray:UpdateSamplingRule"),
      delete: on(arn, "xray:DeleteSamplingRule"),
      tag: on(arn, "xray:TagResource"),
    };
  },
  "aws:xray/group:Group": (r) => {
    const arn = text(r.id);
    return {
      create: on(arn, "xray:CreateGroup"),
      read: on(arn, "xray:GetGroup"),
      update: on(arn, "xray:UpdateGroup"),
      delete: on(arn, "xray:DeleteGroup"),
      tag: on(arn, "xray:TagResource"),
    };
  },
  "aws:grafana/workspace:Workspace": (r) => {
    const arn = text(r.outputs.arn);
    return {
      create: [...anywhere("grafana:CreateWorkspace"), ...on(arn, "grafana:TagResource")],
      read: on(arn, "grafana:DescribeWorkspace", "grafana:DescribeWorkspaceAuthentication"),
      update: on(arn, "grafana:UpdateWorkspace", "grafana:UpdateWorkspaceAuthentication"),
      delete: on(arn, "grafana:DeleteWorkspace"),
      tag: on(arn, "grafana:TagResource"),
    };
  },
  "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": (r) => {
    const arn = at(r, "grafana", `/workspaces/${text(r.id).split(",")[0]}`);
    return {
      create: on(arn, "grafana:CreateWorkspaceServiceAccount"),
      read: on(arn, "grafana:ListWorkspaceServiceAccounts"),
      delete: on(arn, "grafana:DeleteWorkspaceServiceAccount"),
    };
  },
  "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken": (r) => {
    const arn = at(r, "grafana", `/workspaces/${text(r.id).split(",")[0]}`);
    return {
      create: on(arn, "grafana:CreateWorkspaceServiceAccountToken"),
      read: on(arn, "grafana:ListWorkspaceServiceAccountTokens"),
      delete: on(arn, "grafana:DeleteWorkspaceServiceAccountToken"),
    };
  },
  "aws:grafana/roleAssociation:RoleAssociation": (r) => {
    const arn = at(r, "grafana", `/workspaces/${text(r.inputs.workspaceId)}`);
    return { update: on(arn, "grafana:UpdatePermissions", "grafana:ListPermissions") };
  },
};
