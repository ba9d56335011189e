/**
 * The deploy roles against what the environment programs really create: staging and production evaluated
 * under mocks with their own Pulumi.<stack>.yaml (tests/harness/stacks.ts). The roles scope by fixed names
 * and by default tags; these tests fail when a program's names or tags drift from what the roles allow, or
 * when a program creates a resource type no one has checked the roles for.
 */
import * as assert from "node:assert/strict";
import { deployPolicyStatements } from "../../lib/deploy-permissions";
import type { PolicyStatement } from "../../lib/iam";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { arnMatches } from "./deploy-permissions-checker";

const ACCOUNT = "111122223333";

const listOf = (value: PolicyStatement["Action"] | PolicyStatement["Resource"]): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? [...value] : [value]).map(String);
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * Resources with a fixed physical name: the call that creates each and the ARN it is authorized on (the
 * account is the role's; ids AWS appends are stand-ins).
 */
const NAMED: Readonly<Record<string, { action: string; arn: (r: RecordedResource) => string }>> = {
  "aws:sqs/queue:Queue": {
    action: "sqs:CreateQueue",
    arn: (r) => `arn:aws:sqs:${r.region}:${ACCOUNT}:${text(r.inputs.name)}`,
  },
  // A generated name (bucketPrefix) is the prefix plus a suffix: the ARN of one such bucket.
  "aws:s3/bucket:Bucket": {
    action: "s3:CreateBucket",
    arn: (r) => `arn:aws:s3:::${text(r.inputs.bucket ?? `${text(r.inputs.bucketPrefix)}20261129abcdefghijklmnop`)}`,
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    action: "logs:CreateLogGroup",
    arn: (r) => `arn:aws:logs:${r.region}:${ACCOUNT}:log-group:${text(r.inputs.name)}`,
  },
  "aws:ecs/cluster:Cluster": {
    action: "ecs:CreateCluster",
    arn: (r) => `arn:aws:ecs:${r.region}:${ACCOUNT}:cluster/${text(r.inputs.name)}`,
  },
  "aws:ecs/service:Service": {
    action: "ecs:CreateService",
    arn: (r) =>
      `arn:aws:ecs:${r.region}:${ACCOUNT}:service/${text(r.inputs.cluster).split("/").pop() ?? ""}/${text(r.inputs.name)}`,
  },
  "aws:ecs/taskDefinition:TaskDefinition": {
    action: "ecs:RegisterTaskDefinition",
    arn: (r) => `arn:aws:ecs:${r.region}:${ACCOUNT}:task-definition/${text(r.inputs.family)}:1`,
  },
  "aws:kms/alias:Alias": {
    action: "kms:CreateAlias",
    arn: (r) => `arn:aws:kms:${r.region}:${ACCOUNT}:${text(r.inputs.name)}`,
  },
  "aws:secretsmanager/secret:Secret": {
    action: "secretsmanager:CreateSecret",
    arn: (r) => `arn:aws:secretsmanager:${r.region}:${ACCOUNT}:secret:${text(r.inputs.name)}-AbCdEf`,
  },
  "aws:sns/topic:Topic": {
    action: "sns:CreateTopic",
    arn: (r) => `arn:aws:sns:${r.region}:${ACCOUNT}:${text(r.inputs.name)}`,
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    action: "cloudwatch:PutMetricAlarm",
    arn: (r) => `arn:aws:cloudwatch:${r.region}:${ACCOUNT}:alarm:${text(r.inputs.name)}`,
  },
  "aws:cloudwatch/dashboard:Dashboard": {
    action: "cloudwatch:PutDashboard",
    arn: (r) => `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${text(r.inputs.dashboardName)}`,
  },
  "aws:xray/samplingRule:SamplingRule": {
    action: "xray:CreateSamplingRule",
    arn: (r) => `arn:aws:xray:${r.region}:${ACCOUNT}:sampling-rule/${text(r.inputs.ruleName)}`,
  },
  "aws:xray/group:Group": {
    action: "xray:CreateGroup",
    arn: (r) => `arn:aws:xray:${r.region}:${ACCOUNT}:group/${text(r.inputs.groupName)}/ABCDEFGHIJKLMNOP`,
  },
  "aws:iam/role:Role": {
    action: "iam:CreateRole",
    arn: (r) => `arn:aws:iam::${ACCOUNT}:role${text(r.inputs.path ?? "/")}${text(r.inputs.name)}`,
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    action: "elasticache:CreateReplicationGroup",
    arn: (r) => `arn:aws:elasticache:${r.region}:${ACCOUNT}:replicationgroup:${text(r.inputs.replicationGroupId)}`,
  },
  "aws:elasticache/subnetGroup:SubnetGroup": {
    action: "elasticache:CreateCacheSubnetGroup",
    arn: (r) => `arn:aws:elasticache:${r.region}:${ACCOUNT}:subnetgroup:${text(r.inputs.name)}`,
  },
};

/**
 * Every other resource type the programs create, and how the role reaches it: by the environment's tags
 * (generated names and ids), or through the named resource it belongs to. A type in neither list fails the
 * test: whoever adds it checks the deploy role first.
 */
const TAGGED = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/route:Route",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/flowLog:FlowLog",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:kms/key:Key",
  "aws:acm/certificate:Certificate",
  "aws:acm/certificateValidation:CertificateValidation",
  "aws:globalaccelerator/accelerator:Accelerator",
  "aws:globalaccelerator/listener:Listener",
  "aws:globalaccelerator/endpointGroup:EndpointGroup",
  "aws:grafana/workspace:Workspace",
  "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount", // within the tagged workspace
  "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken", // within the tagged workspace
  "aws:grafana/roleAssociation:RoleAssociation", // within the tagged workspace
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
];
const PART_OF_NAMED = [
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  "aws:route53/record:Record", // the shared zone, by id
];
/** Not AWS resources: the Grafana provider reaches the workspace's own API with the service-account token. */
const NOT_AWS = /^(pulumi:|helium:|random:|grafana:)/;

describe("deploy roles against the environment programs (whole stacks under mocks)", function () {
  this.timeout(300_000);

  for (const stack of ["staging", "production"]) {
    describe(stack, () => {
      let evaluation: StackEvaluation;
      let environment: string;
      let statements: PolicyStatement[];

      before(async () => {
        evaluation = await evaluateStack(stack);
        const providers = evaluation.resources.filter((r) => r.type === "pulumi:providers:aws");
        const tags = (JSON.parse(text(providers[0]?.inputs.defaultTags)) as { tags: Record<string, string> }).tags;
        environment = tags.Environment;
        const regions = [
          ...new Set(
            evaluation.resources.filter((r) => r.type === "aws:ecs/cluster:Cluster").map((r) => String(r.region)),
          ),
        ];
        statements = Object.values(
          deployPolicyStatements({ environment, account: ACCOUNT, regions, hostedZoneId: "Z1" }),
        ).flat();
      });

      it("gives every AWS resource the default tags the roles' tag conditions check (Project=helium, Environment=<env>)", () => {
        const providers = evaluation.resources.filter((r) => r.type === "pulumi:providers:aws");
        assert.ok(providers.length > 0);
        for (const provider of providers) {
          const { tags } = JSON.parse(text(provider.inputs.defaultTags)) as { tags: Record<string, string> };
          assert.equal(tags.Project, "helium", provider.urn);
          assert.equal(tags.Environment, environment, provider.urn);
        }
        assert.equal(environment, stack);
        const aws = evaluation.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        for (const resource of aws)
          assert.ok(
            providers.some((p) => resource.provider?.startsWith(`${p.urn}::`)),
            `${resource.urn} uses a tagging provider`,
          );
      });

      it("creates every named resource within its create action's ARNs in the role of its environment", () => {
        let checked = 0;
        for (const resource of evaluation.resources.filter((r) => NAMED[r.type] !== undefined)) {
          const { action, arn: arnOf } = NAMED[resource.type];
          const arn = arnOf(resource);
          // A statement with aws:RequestedRegion grants only in those regions.
          const inRegion = (s: PolicyStatement) => {
            const regions = s.Condition?.StringEquals?.["aws:RequestedRegion"];
            return regions === undefined || resource.region === null || [regions].flat().includes(resource.region);
          };
          const granting = statements.filter(
            (s) =>
              listOf(s.Action).includes(action) &&
              listOf(s.Resource).some((pattern) => arnMatches(pattern, arn)) &&
              inRegion(s),
          );
          assert.ok(granting.length > 0, `${resource.urn}: no statement grants ${action} on ${arn}`);
          checked += 1;
        }
        assert.ok(checked > 10, `${checked} named resources checked`);
      });

      it("creates no resource type whose deploy permissions no one has checked", () => {
        const unchecked = [
          ...new Set(
            evaluation.resources
              .map((r) => r.type)
              .filter((t) => !NOT_AWS.test(t) && NAMED[t] === undefined && ![...TAGGED, ...PART_OF_NAMED].includes(t)),
          ),
        ];
        assert.deepEqual(unchecked, []);
      });
    });
  }
});
