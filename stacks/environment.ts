/**
 * An application environment (`staging`, `production`): per region a HeliumRegion and its services, one
 * GlobalEdge in front of them all, and Observability across them.
 *
 * Inputs come from config and from the `shared` stack (zone, registry, image regions) through a
 * StackReference; with `helium:promoteFrom`, the image tag comes from that stack's `imageTag` output, so
 * production deploys exactly what staging runs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GlobalEdge } from "../components/GlobalEdge";
import { HeliumRegion } from "../components/HeliumRegion";
import { HeliumService } from "../components/HeliumService";
import { Observability } from "../components/Observability";
import type { ServiceSpec } from "../config/services";
import { PLATFORM_SECRET_KEYS, type ResolvedAwsEnvironment } from "../config/stacks";
import { ecrImageUri } from "../lib/images";
import { regionInfo } from "../lib/regions";
import { assignRoutePriorities } from "../lib/routing";
import { RequiredStackReference } from "../lib/stack-reference";
import type { StackOutputs } from "./index";

/** Shared-stack outputs an environment reads (see stacks/shared.ts). */
interface SharedRepository {
  readonly name: string;
  readonly arns: Record<string, string>;
}

export function environmentStack(config: ResolvedAwsEnvironment): StackOutputs {
  const env = config.environment;
  const production = env === "production";

  const shared = new RequiredStackReference("shared", config.sharedStack, "helium:sharedStack");
  const domain = shared.require<string>("domain", "certificates and DNS names");
  const hostedZoneId = shared.require<string>("hostedZoneId", "certificate validation and the api record");
  const imageRegions = shared.require<string[]>(
    "imageRegions",
    "checking that every region has a replica of the images",
  );
  // Fails when a region of this environment gets no image replica: tasks there could never pull.
  const repositories = pulumi
    .all([
      imageRegions,
      shared.require<Record<string, SharedRepository>>("repositories", "image URIs and ECR pull permissions"),
    ])
    .apply(([regions, repos]) => {
      const missing = config.regions.map((r) => r.region).filter((r) => !regions.includes(r));
      if (missing.length > 0) {
        throw new Error(
          `helium:regions includes ${missing.join(", ")}, but the shared stack replicates images only to ${regions.join(", ")}; add them to the shared stack's helium:replicationRegions`,
        );
      }
      return repos;
    });
  const registryId = shared.require<string>("registryId", "image URIs");
  const imageTag: pulumi.Output<string> =
    config.promoteFrom !== undefined
      ? new RequiredStackReference("promote-from", config.promoteFrom, "helium:promoteFrom").require<string>(
          "imageTag",
          `promoting the image ${config.promoteFrom} runs`,
        )
      : pulumi.output(config.imageTag as string);

  // One provider for the environment: default tags everywhere; each regional resource names its region.
  const provider = new aws.Provider(`aws-${env}`, {
    region: config.homeRegion,
    defaultTags: { tags: { Project: "helium", Environment: env, ManagedBy: "pulumi", Stack: pulumi.getStack() } },
  });

  const services: Record<string, ServiceSpec> = Object.fromEntries(
    Object.entries(config.services).filter(([, spec]) => spec.enabled),
  );
  // Staging gets a certificate for its own name only, so no validation record is shared with production.
  const certificateDomain = production ? domain : pulumi.interpolate`${config.apiRecordName}.${domain}`;
  const certificateAlternativeNames = production ? [pulumi.interpolate`*.${domain}`] : [];
  const appOrigins = config.appOrigins ?? [
    pulumi.interpolate`https://${domain}`,
    pulumi.interpolate`https://www.${domain}`,
  ];

  const regions = config.regions.map(
    (network, index) =>
      new HeliumRegion(
        `${env}-${regionInfo(network.region).name}`,
        {
          environment: env,
          network,
          hostedZoneId,
          certificateDomain,
          certificateAlternativeNames,
          // ACM uses one validation record per name and account, whatever the region: the first region writes it.
          createValidationRecords: index === 0,
          services,
          appOrigins,
          appSecrets: pulumi.secret(config.appSecrets),
          redis: config.redis,
          queue: config.queue,
          alb: config.alb,
          logRetentionDays: config.logRetentionDays,
          protect: config.protect,
        },
        { providers: [provider] },
      ),
  );

  // Services per region, on that region's foundation, all running the same image tag.
  const routePriorities = assignRoutePriorities(services);
  const declaredSecretKeys = [...PLATFORM_SECRET_KEYS, ...Object.keys(config.appSecrets)];
  const servicesByRegion = regions.map((region) =>
    Object.entries(services).map(
      ([serviceName, spec]) =>
        new HeliumService(
          `${region.environment}-${regionInfo(region.region).name}-${serviceName}`,
          {
            environment: env,
            serviceName,
            spec,
            region,
            image: pulumi
              .all([registryId, imageTag])
              .apply(([registry, tag]) => ecrImageUri(registry, region.region, spec.repository, tag)),
            repositoryArns: [
              repositories.apply((repos) => {
                const arn = repos[spec.repository]?.arns[region.region];
                if (arn === undefined)
                  throw new Error(
                    `helium:services.${serviceName}.repository is "${spec.repository}", which the shared stack does not provide in ${region.region}; it has: ${Object.keys(repos).join(", ")}`,
                  );
                return arn;
              }),
            ],
            routePriorities: routePriorities[serviceName] ?? [],
            declaredSecretKeys,
          },
          { parent: region },
        ),
    ),
  );

  const edge = new GlobalEdge(
    `${env}-edge`,
    {
      environment: env,
      regions,
      trafficDialPercent: Object.fromEntries(config.regions.map((r) => [r.region, r.trafficDialPercent])),
      hostedZoneId,
      domain,
      recordName: config.apiRecordName,
      flowLogs: config.accelerator.flowLogs,
      healthCheck: {
        path: config.accelerator.healthCheckPath,
        intervalSeconds: config.accelerator.healthCheckIntervalSeconds,
        thresholdCount: config.accelerator.thresholdCount,
      },
      protect: config.protect,
    },
    { providers: [provider] },
  );

  const observability = new Observability(
    `${env}-observability`,
    {
      environment: env,
      regions: regions.map((region, i) => ({ region, services: servicesByRegion[i] })),
      alerts: config.alerts,
      grafana: config.grafana,
      tracing: config.tracing,
    },
    { providers: [provider] },
  );

  return {
    environment: env,
    /** The image tag or digest every service runs; production promotes exactly this. */
    imageTag,
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
