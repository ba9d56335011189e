/**
 * The physical names an environment gives its resources, by kind, from what a stack evaluation recorded: what
 * must never collide between environments (staging, production, dev, …) sharing one account.
 */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../offline/types";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

const nameTag = (r: RecordedResource) => (r.inputs.tags as Record<string, string> | undefined)?.Name;

/**
 * Physical names by kind. Target groups and security groups have generated names (namePrefix, so a replacement
 * can be created before the old one is deleted): their readable Name tag and, for security groups, the prefix
 * stand for them. Fails when a resource of a listed kind has no such name.
 */
export function physicalNames(resources: readonly RecordedResource[]): Record<string, string[]> {
  const names = (type: string, pick: (r: RecordedResource) => unknown) =>
    resources
      .filter((r) => r.type === type)
      .map((r) => {
        const value = pick(r);
        assert.equal(typeof value, "string", `${type} ${r.name}: a name`);
        return value as string;
      });
  return {
    vpc: names("aws:ec2/vpc:Vpc", nameTag),
    cluster: names("aws:ecs/cluster:Cluster", (r) => r.inputs.name),
    service: names("aws:ecs/service:Service", (r) => r.inputs.name),
    taskFamily: names("aws:ecs/taskDefinition:TaskDefinition", (r) => r.inputs.family),
    alb: names("aws:lb/loadBalancer:LoadBalancer", (r) => r.inputs.name),
    targetGroup: names("aws:lb/targetGroup:TargetGroup", nameTag),
    secret: names("aws:secretsmanager/secret:Secret", (r) => r.inputs.name),
    bucket: names("aws:s3/bucket:Bucket", (r) => r.inputs.bucket ?? r.inputs.bucketPrefix),
    role: names("aws:iam/role:Role", (r) => r.inputs.name),
    accelerator: names("aws:globalaccelerator/accelerator:Accelerator", (r) => r.inputs.name),
    queue: names("aws:sqs/queue:Queue", (r) => r.inputs.name),
    redis: names("aws:elasticache/replicationGroup:ReplicationGroup", (r) => r.inputs.replicationGroupId),
    logGroup: names("aws:cloudwatch/logGroup:LogGroup", (r) => r.inputs.name),
    securityGroup: [...names(SECURITY_GROUP, nameTag), ...names(SECURITY_GROUP, (r) => r.inputs.namePrefix)],
  };
}
