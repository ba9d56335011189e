/**
 * The Service Connect configuration of one ECS service, as plain data: a client of the environment's
 * namespace (the agent resolves `<service>:<port>` of every published service), a server of its own port when
 * it has one (published under the service's name), and the agent's logs in the service's log group.
 */
import type * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceModel } from "../../model/types/service";

type ServiceConnectConfiguration = aws.types.input.ecs.ServiceServiceConnectConfiguration;

/**
 * The service's `serviceConnectConfiguration`, or undefined when it takes no part in Service Connect.
 * @param namespaceArn the region's Cloud Map HTTP namespace.
 * @param logGroupName the service's log group; the agent writes under the stream prefix the model names.
 */
export function serviceConnectConfiguration(
  model: ServiceModel,
  namespaceArn: pulumi.Input<string>,
  logGroupName: pulumi.Input<string>,
): ServiceConnectConfiguration | undefined {
  const connect = model.serviceConnect;
  if (connect === undefined) return undefined;
  const publish = connect.publish;
  return {
    enabled: true,
    namespace: namespaceArn,
    ...(publish !== undefined
      ? {
          services: [
            {
              portName: publish.portName,
              discoveryName: publish.discoveryName,
              clientAlias: [{ dnsName: publish.dnsName, port: publish.port }],
            },
          ],
        }
      : {}),
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroupName,
        "awslogs-region": model.region,
        "awslogs-stream-prefix": connect.logStreamPrefix,
      },
    },
  };
}
