/**
 * Reliability defaults (advisory): ECS rollback, dead-letter queues, and production-only protections.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { resourcePolicy, stackPolicy, type PolicySettings } from "../lib/define";
import { UNKNOWN, readPath, stackOfUrn, type ResourceNode } from "../lib/values";

export const ECS_SERVICE = "aws:ecs/service:Service";
export const SQS_QUEUE = "aws:sqs/queue:Queue";
export const SQS_REDRIVE_POLICY = "aws:sqs/redrivePolicy:RedrivePolicy";
export const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

interface ProductionSettings extends PolicySettings {
  readonly productionStacks: readonly string[];
}

const PRODUCTION_STACKS: Record<string, PolicyConfigJSONSchema> = {
  productionStacks: {
    type: "array",
    items: { type: "string" },
    default: ["production"],
    description: "Stack names treated as production.",
  },
};

export const ecsCircuitBreakerRollback: ResourceValidationPolicy = resourcePolicy({
  name: "helium-ecs-circuit-breaker-rollback",
  description: "ECS services enable the deployment circuit breaker with rollback.",
  enforcementLevel: "advisory",
  resourceTypes: [ECS_SERVICE],
  validate: (args, report) => {
    const breaker = readPath(args.props, "deploymentCircuitBreaker");
    if (readPath(breaker, "enable") !== true || readPath(breaker, "rollback") !== true) {
      report("deploymentCircuitBreaker must set enable: true and rollback: true so a failing deployment rolls back");
    }
  },
});

export const sqsDeadLetterQueue: StackValidationPolicy = stackPolicy({
  name: "helium-sqs-dlq",
  description: "Every work queue has a dead-letter queue (a queue that is itself some queue's DLQ is exempt by role).",
  enforcementLevel: "advisory",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    const queues = nodes.filter((n) => n.type === SQS_QUEUE);
    const dlqUrns = new Set<string>();
    const redrivenUrns = new Set<string>();
    for (const node of nodes) {
      if (node.type === SQS_QUEUE)
        for (const d of node.propertyDependencies["redrivePolicy"] ?? []) if (d.type === SQS_QUEUE) dlqUrns.add(d.urn);
      if (node.type === SQS_REDRIVE_POLICY) {
        for (const d of node.propertyDependencies["redrivePolicy"] ?? []) if (d.type === SQS_QUEUE) dlqUrns.add(d.urn);
        for (const d of node.propertyDependencies["queueUrl"] ?? []) if (d.type === SQS_QUEUE) redrivenUrns.add(d.urn);
      }
    }
    for (const queue of queues) {
      const redrive = readPath(queue.props, "redrivePolicy");
      const isDeadLetterQueue = dlqUrns.has(queue.urn) || readPath(queue.props, "redriveAllowPolicy") !== undefined;
      if (redrive === undefined && !redrivenUrns.has(queue.urn) && !isDeadLetterQueue) {
        report(queue.urn, "the queue has no redrivePolicy: failed messages would be retried forever or lost");
      }
      if (
        redrive !== undefined &&
        redrive !== UNKNOWN &&
        typeof redrive === "string" &&
        !redrive.includes("deadLetterTargetArn")
      ) {
        report(queue.urn, "redrivePolicy has no deadLetterTargetArn");
      }
    }
  },
});

const inProduction = (urn: string, settings: ProductionSettings): boolean =>
  settings.productionStacks.includes(stackOfUrn(urn));

export const productionAlbDeletionProtection: ResourceValidationPolicy = resourcePolicy<ProductionSettings>({
  name: "helium-prod-alb-deletion-protection",
  description: "Production load balancers have deletion protection.",
  enforcementLevel: "advisory",
  resourceTypes: [LOAD_BALANCER],
  extraConfig: PRODUCTION_STACKS,
  validate: (args, report, settings) => {
    if (inProduction(args.urn, settings) && args.props["enableDeletionProtection"] !== true)
      report("enableDeletionProtection is not true on a production load balancer");
  },
});

export const productionRedisFailover: ResourceValidationPolicy = resourcePolicy<ProductionSettings>({
  name: "helium-prod-redis-failover",
  description: "Production ElastiCache replication groups have automatic failover (and so at least one replica).",
  enforcementLevel: "advisory",
  resourceTypes: [REPLICATION_GROUP],
  extraConfig: PRODUCTION_STACKS,
  validate: (args, report, settings) => {
    if (!inProduction(args.urn, settings)) return;
    if (args.props["automaticFailoverEnabled"] !== true)
      report("automaticFailoverEnabled is not true on a production replication group");
  },
});

export const reliabilityPolicies = [
  ecsCircuitBreakerRollback,
  sqsDeadLetterQueue,
  productionAlbDeletionProtection,
  productionRedisFailover,
] as const;
