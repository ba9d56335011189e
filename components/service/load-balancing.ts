/**
 * The load balancing of a HeliumService with routes: an IP target group with a generated name (replaceable
 * create-before-delete) and a listener rule per route at the priority the resolve step fixed.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types/service";
import type { ServiceFoundation } from "./args";

/** The target group and its listener rules; none for a service without routes, port or health check. */
export interface ServiceLoadBalancing {
  readonly targetGroup: aws.lb.TargetGroup | undefined;
  readonly listenerRules: aws.lb.ListenerRule[];
}

/** Children of `parent` (the HeliumService named `name`). */
export function createLoadBalancing(
  parent: pulumi.Resource,
  name: string,
  model: ServiceModel,
  foundation: ServiceFoundation,
): ServiceLoadBalancing {
  const { region } = model;
  const child: pulumi.CustomResourceOptions = { parent };
  const health = model.healthCheck;
  let targetGroup: aws.lb.TargetGroup | undefined;
  const listenerRules: aws.lb.ListenerRule[] = [];
  if (model.routes.length > 0 && model.port !== undefined && health !== undefined) {
    targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        region,
        // A generated name (this prefix + a unique suffix, 32 characters): a port or protocol change replaces
        // the group, and only a new name lets the new group exist before the old, still attached, is deleted.
        // A target group serves one load balancer only (TargetGroupAssociationLimit): behind the internal ALB
        // (entry apiGateway) groups take another prefix, so a switch creates new ones for the new ALB first.
        namePrefix: foundation.model.loadBalancer.internal
          ? `${model.name.slice(0, 4)}i-`
          : `${model.name.slice(0, 5)}-`,
        targetType: "ip",
        protocol: "HTTP",
        port: model.port,
        vpcId: foundation.vpcId,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: health.path,
          matcher: health.matcher,
          interval: health.intervalSeconds,
          timeout: health.timeoutSeconds,
          healthyThreshold: health.healthyThreshold,
          unhealthyThreshold: health.unhealthyThreshold,
        },
        // Requests to Helium are short (well under the ALB's idle timeout), so a short drain lets in-flight
        // requests finish without a deploy waiting AWS's default 300 s per batch.
        deregistrationDelay: model.deregistrationDelaySeconds,
        tags: { ...model.tags, Name: model.names.targetGroupTag },
      },
      child,
    );
    const group = targetGroup;
    model.routes.forEach((route, i) => {
      const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
      if (route.hostHeaders !== undefined) conditions.push({ hostHeader: { values: [...route.hostHeaders] } });
      if (route.pathPatterns !== undefined) conditions.push({ pathPattern: { values: [...route.pathPatterns] } });
      listenerRules.push(
        new aws.lb.ListenerRule(
          `${name}-rule-${i + 1}`,
          {
            region,
            listenerArn: foundation.httpsListenerArn,
            priority: route.priority,
            conditions,
            actions: [{ type: "forward", targetGroupArn: group.arn }],
            tags: model.tags,
          },
          child,
        ),
      );
    });
  }
  return { targetGroup, listenerRules };
}
