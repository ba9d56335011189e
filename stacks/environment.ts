/**
 * An application environment (`helium:role: environment`), built from its resolved model: per region a
 * HeliumRegion and its services, one GlobalEdge in front of them all, and Observability across them.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { GlobalEdge } from "../components/edge/GlobalEdge";
import { Observability } from "../components/observability/Observability";
import { HeliumRegion } from "../components/region/HeliumRegion";
import { HeliumService } from "../components/service/HeliumService";
import type { EnvironmentModel } from "../model/types";
import type { StackOutputs } from "./outputs";

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

  const edge = new GlobalEdge(
    `${env}-edge`,
    { model: model.edge, regions, account: model.account, protect: model.protect },
    { providers: [provider] },
  );

  const observability = new Observability(
    `${env}-observability`,
    {
      environment: env,
      regions: regions.map((region, i) => ({ region, services: servicesByRegion[i] })),
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
    apiUrl: pulumi.interpolate`https://${edge.apiFqdn}`,
    accelerator: { dnsName: edge.dnsName, ipAddresses: edge.ipAddresses },
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
          alertTopicArn: observability.regions[region.region]?.topicArn,
          services: Object.fromEntries(
            servicesByRegion[i].map((svc) => [
              svc.name,
              { serviceName: svc.serviceName, taskDefinitionArn: svc.taskDefinitionArn },
            ]),
          ),
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
