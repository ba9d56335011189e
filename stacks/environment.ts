/**
 * An application environment (`helium:role: environment`), built from its resolved model: per region a
 * HeliumRegion and its services, the entry in front of them all (one GlobalEdge, or with entry apiGateway an
 * ApiGatewayEdge: an HTTP API per region behind latency-routed DNS), and Observability across them.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { ApiGatewayEdge } from "../components/edge/ApiGatewayEdge";
import { GlobalEdge } from "../components/edge/GlobalEdge";
import { Observability } from "../components/observability/Observability";
import { HeliumRegion } from "../components/region/HeliumRegion";
import { HeliumService } from "../components/service/HeliumService";
import type { EnvironmentModel } from "../model/types/environment";
import type { StackOutputs } from "./outputs";

/**
 * `oneOffTasks` of a region's outputs, when a service declares one-off tasks: what `aws ecs run-task` needs
 * (scripts/run-task.ts reads it): the cluster, the private subnets, and per service and task the task
 * definition, its family, the container whose exit code counts, the service's security group and log group.
 */
function oneOffTaskOutputs(region: HeliumRegion, services: readonly HeliumService[]): StackOutputs {
  const withTasks = services.filter((svc) => Object.keys(svc.oneOffTasks).length > 0);
  if (withTasks.length === 0) return {};
  return {
    oneOffTasks: {
      cluster: region.clusterArn,
      subnets: region.privateSubnetIds,
      tasks: Object.fromEntries(
        withTasks.map((svc) => [
          svc.name,
          Object.fromEntries(
            Object.entries(svc.oneOffTasks).map(([task, t]) => [
              task,
              {
                taskDefinitionArn: t.taskDefinitionArn,
                family: t.family,
                containerName: t.containerName,
                securityGroupId: svc.securityGroupId,
                logGroup: region.logGroups[svc.name]?.name,
              },
            ]),
          ),
        ]),
      ),
    },
  };
}

/** Builds the environment. `appSecretValues` are the configured secret values (each marked secret). */
export function buildEnvironment(
  model: EnvironmentModel,
  appSecretValues: Readonly<Record<string, pulumi.Input<string>>>,
): StackOutputs {
  const env = model.environment;
  // One provider for the environment: default tags everywhere; each regional resource names its region.
  const provider = new aws.Provider(`aws-${env}`, {
    region: model.homeRegion,
    defaultTags: { tags: { ...model.tags } },
  });

  const regions = model.regions.map(
    (region) =>
      new HeliumRegion(
        `${env}-${region.regionName}`,
        { model: region, account: model.account, hostedZoneId: model.hostedZoneId, appSecretValues },
        { providers: [provider] },
      ),
  );
  const servicesByRegion = regions.map((region) =>
    region.model.services.map(
      (service) =>
        new HeliumService(
          `${env}-${region.model.regionName}-${service.name}`,
          { model: service, foundation: region, account: model.account },
          { parent: region },
        ),
    ),
  );

  // Global Accelerator, or (entry apiGateway) an HTTP API per region: never both.
  const apiGateway = model.apiGateway;
  const edge =
    apiGateway === undefined
      ? new GlobalEdge(
          `${env}-edge`,
          { model: model.edge, regions, account: model.account, protect: model.protect },
          { providers: [provider] },
        )
      : undefined;
  const gateway =
    apiGateway === undefined
      ? undefined
      : new ApiGatewayEdge(
          `${env}-api-gateway`,
          {
            environment: env,
            model: apiGateway,
            regions: regions.map((region) => ({
              region: region.region,
              vpcId: region.vpcId,
              privateSubnetIds: region.privateSubnetIds,
              albSecurityGroupId: region.albSecurityGroupId,
              httpsListenerArn: region.httpsListenerArn,
              certificateArn: region.certificateArn,
              kmsKeyArn: region.kmsKeyArn,
              loadBalancerInternal: region.loadBalancerInternal,
            })),
            // Switching from the accelerator: take over its DNS records, and move traffic only to running services.
            formerEdgeName: `${env}-edge`,
            trafficAfter: servicesByRegion.flat(),
          },
          { providers: [provider] },
        );

  const observability = new Observability(
    `${env}-observability`,
    {
      environment: env,
      regions: regions.map((region, i) => {
        const api = gateway?.regions[region.region];
        return {
          region,
          services: servicesByRegion[i],
          ...(api !== undefined && apiGateway !== undefined
            ? { api: { apiId: api.apiId, throttledRequestsThreshold: apiGateway.throttledRequestsAlarmThreshold } }
            : {}),
        };
      }),
      ...model.observability,
    },
    { providers: [provider] },
  );

  // Exported only once every service's deployment reached steady state (waitForSteadyState): a tag whose
  // rollout failed or was rolled back is never exported, so production can only promote what ran healthy.
  const healthyImageTag = pulumi
    .all(servicesByRegion.flat().map((service) => service.serviceArn))
    .apply(() => model.imageTag);

  return {
    environment: env,
    /** The image tag or digest every service runs healthy; production promotes exactly this. */
    imageTag: healthyImageTag,
    /** Where the image came from: promotion, config, or a rollback override with its reason (model/image.ts). */
    imageSelection: model.imageSelection,
    ...(edge !== undefined
      ? {
          apiUrl: pulumi.interpolate`https://${edge.apiFqdn}`,
          accelerator: { dnsName: edge.dnsName, ipAddresses: edge.ipAddresses },
        }
      : {}),
    ...(gateway !== undefined
      ? {
          apiUrl: `https://${gateway.apiFqdn}`,
          apiGateway: Object.fromEntries(
            Object.entries(gateway.regions).map(([code, api]) => [
              code,
              { apiId: api.apiId, regionalUrl: api.regionalUrl, healthCheckId: api.healthCheckId },
            ]),
          ),
        }
      : {}),
    regions: Object.fromEntries(
      regions.map((region, i) => [
        region.region,
        {
          vpcId: region.vpcId,
          albDnsName: region.albDnsName,
          clusterName: region.clusterName,
          queueUrl: region.queueUrl,
          dlqUrl: region.dlqUrl,
          filesBucket: region.filesBucketName,
          secretArn: region.secretArn,
          redisEndpoint: region.redisPrimaryEndpoint,
          ...(region.database !== undefined
            ? {
                database: {
                  endpoint: region.database.address,
                  port: region.database.port,
                  name: region.database.dbName,
                  masterUserSecretArn: region.database.masterUserSecretArn,
                },
              }
            : {}),
          alertTopicArn: observability.regions[region.region]?.topicArn,
          services: Object.fromEntries(
            servicesByRegion[i].map((svc) => [
              svc.name,
              { serviceName: svc.serviceName, taskDefinitionArn: svc.taskDefinitionArn },
            ]),
          ),
          ...oneOffTaskOutputs(region, servicesByRegion[i]),
        },
      ]),
    ),
    dashboard: { name: observability.dashboardName, region: observability.dashboardRegion },
    grafana:
      observability.grafanaWorkspaceEndpoint === undefined
        ? null
        : { endpoint: observability.grafanaWorkspaceEndpoint, region: observability.grafanaRegion },
  };
}
