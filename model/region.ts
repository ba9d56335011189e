/**
 * Resolve step for one region of an environment: network layout, physical names, load balancer, cache,
 * queue, bucket and secret settings become a {@link RegionModel}; {@link regionProblems} states the rules a
 * RegionModel must meet (run by the resolve step and again by the HeliumRegion constructor).
 */
import type { EnvironmentConfig } from "../config/environment";
import { acmPrimaryDomainProblem } from "../lib/aws-constraints";
import { subnetLayout } from "../lib/cidr";
import type { Problem } from "../lib/input-error";
import { type AwsNameKind, awsNameError, iamRolePath } from "../lib/naming";
import { environmentNames, regionNames } from "../lib/physical-names";
import {
  DATABASE_SECRET_KEYS,
  DEFAULT_ENGINE_VERSIONS,
  DLQ_RETENTION_SECONDS,
  INTERFACE_ENDPOINTS,
  MAX_CACHE_REPLICAS,
  PLATFORM_SECRET_KEYS,
  REDIS_PORT,
  SECONDS_PER_DAY,
  visibilityTimeoutSeconds,
} from "../lib/platform";
import { regionInfo, REGIONS } from "../lib/regions";
import { CONSUMABLE_STORES } from "../config/service-capabilities";
import { databaseProblems, resolveDatabase } from "./database";
import { servicePaths, serviceProblems } from "./service";
import type { RegionModel } from "./types/region";
import type { ServiceModel } from "./types/service";

/** What resolving a region needs besides its config entry. */
export interface RegionContext {
  readonly environment: string;
  readonly production: boolean;
  readonly protect: boolean;
  /** The region's VPC CIDR, explicit or the default of the environment's address lane. */
  readonly vpcCidr: string;
  readonly certificate: RegionModel["loadBalancer"]["certificate"];
  readonly corsOrigins: readonly string[];
  readonly services: readonly ServiceModel[];
  /** The ALB is internal (entry apiGateway). Defaults to false: internet-facing behind Global Accelerator. */
  readonly internalLoadBalancer?: boolean;
}

type RegionConfig = EnvironmentConfig["regions"][number];

/** One region of an environment, resolved. Config must have passed the schema. */
export function resolveRegion(config: EnvironmentConfig, entry: RegionConfig, context: RegionContext): RegionModel {
  const { environment: env, production } = context;
  const region = entry.region;
  const info = regionInfo(region);
  const availabilityZones = entry.availabilityZones ?? info.azLetters.slice(0, entry.azCount).map((l) => region + l);
  const layout = subnetLayout(context.vpcCidr, availabilityZones.length);
  const subnets = (cidrs: readonly string[]) =>
    cidrs.map((cidr, i) => ({ cidr, availabilityZone: availabilityZones[i] }));
  const names = regionNames(env, region);
  const engine = config.redis.engine;
  const snapshotRetentionDays = config.redis.snapshotRetentionDays ?? (production ? 7 : 0);
  const replicationGroupId = names.redisReplicationGroup;
  // Keys the platform writes into the backend secret; an app secret of the same name is overridden, not listed twice.
  const platformKeys: readonly string[] = [
    ...PLATFORM_SECRET_KEYS,
    ...(config.database !== undefined ? DATABASE_SECRET_KEYS : []),
  ];
  const targetPorts = [
    ...new Set(
      context.services.filter((s) => s.routes.length > 0 && s.port !== undefined).map((s) => s.port as number),
    ),
  ].sort((a, b) => a - b);
  const namespace = context.services.find((s) => s.serviceConnect !== undefined)?.serviceConnect?.namespace;
  return {
    environment: env,
    production,
    region,
    regionName: info.name,
    protect: context.protect,
    kmsAlias: names.kmsAlias,
    network: {
      vpcCidr: context.vpcCidr,
      availabilityZones,
      subnets: { public: subnets(layout.public), private: subnets(layout.private), data: subnets(layout.data) },
      natGateways: entry.natGateways ?? (production ? "perAz" : "single"),
      interfaceEndpoints: entry.interfaceEndpoints ?? (production ? [...INTERFACE_ENDPOINTS] : []),
      flowLogGroup: names.flowLogGroup,
      flowLogRole: names.flowLogsRole,
    },
    loadBalancer: {
      name: context.internalLoadBalancer === true ? names.internalLoadBalancer : names.loadBalancer,
      internal: context.internalLoadBalancer === true,
      idleTimeoutSeconds: config.alb.idleTimeoutSeconds,
      sslPolicy: config.alb.sslPolicy,
      deletionProtection: config.alb.deletionProtection ?? production,
      accessLogBucket: names.albLogsBucket,
      generatedBucketName: !production,
      certificate: context.certificate,
      targetPorts,
      acceptOnlyFromAccelerator: config.alb.acceptOnlyFromAccelerator,
    },
    clusterName: names.cluster,
    queue: {
      name: names.workQueue,
      dlqName: names.deadLetterQueue,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(config.queue.maxProcessingSeconds),
      messageRetentionSeconds: config.queue.messageRetentionDays * SECONDS_PER_DAY,
      dlqRetentionSeconds: DLQ_RETENTION_SECONDS,
      maxReceiveCount: config.queue.maxReceiveCount,
    },
    cache: {
      replicationGroupId,
      subnetGroupName: names.redisSubnetGroup,
      engine,
      engineVersion: config.redis.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine],
      nodeType: config.redis.nodeType,
      numCacheClusters: config.redis.replicas + 1,
      snapshotRetentionDays,
      // A final snapshot holds its name forever; outside production nothing may block re-creating the stack.
      ...(snapshotRetentionDays > 0 && production ? { finalSnapshotIdentifier: `${replicationGroupId}-final` } : {}),
      port: REDIS_PORT,
    },
    ...(config.database !== undefined ? { database: resolveDatabase(config.database, names, production) } : {}),
    // S3 may hold a deleted bucket's name for days: outside production names are generated, so the
    // environment can be destroyed and re-created at once.
    filesBucket: { name: names.filesBucket, generatedName: !production, corsOrigins: context.corsOrigins },
    secret: {
      name: environmentNames(env, region).backendSecret,
      // Outside production the name is released at once, so a destroyed environment can be re-created.
      recoveryWindowInDays: production ? 30 : 0,
      keys: [...platformKeys, ...Object.keys(config.appSecrets).filter((k) => !platformKeys.includes(k))],
    },
    logRetentionDays: config.logRetentionDays,
    iamPath: iamRolePath(env),
    services: context.services,
    ...(namespace !== undefined ? { serviceConnect: { namespace } } : {}),
    ...(context.services.some((s) => s.exec) ? { ecsExec: { sessionLogGroup: names.execSessionLogGroup } } : {}),
  };
}

/** Physical names of a region and the AWS rules they must meet. */
function namesOf(model: RegionModel): Array<[string, AwsNameKind, string]> {
  return [
    ["filesBucket.name", "s3Bucket", model.filesBucket.name],
    ["loadBalancer.accessLogBucket", "s3Bucket", model.loadBalancer.accessLogBucket],
    ["loadBalancer.name", "loadBalancer", model.loadBalancer.name],
    ["cache.replicationGroupId", "elasticacheReplicationGroup", model.cache.replicationGroupId],
    ["network.flowLogRole", "iamRole", model.network.flowLogRole],
    ["network.flowLogGroup", "logGroup", model.network.flowLogGroup],
    ["clusterName", "ecsCluster", model.clusterName],
    ["queue.name", "sqsQueue", model.queue.name],
    ["queue.dlqName", "sqsQueue", model.queue.dlqName],
    ["secret.name", "secret", model.secret.name],
    ...(model.serviceConnect !== undefined
      ? [
          ["serviceConnect.namespace", "cloudMapNamespace", model.serviceConnect.namespace] as [
            string,
            AwsNameKind,
            string,
          ],
        ]
      : []),
    ...(model.ecsExec !== undefined
      ? [["ecsExec.sessionLogGroup", "logGroup", model.ecsExec.sessionLogGroup] as [string, AwsNameKind, string]]
      : []),
  ];
}

/** Every rule a resolved region must meet, keyed by the model's field names. Includes its services' rules. */
export function regionProblems(model: RegionModel): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, value: unknown, allowed: string) => problems.push({ key, value, allowed });
  const info = REGIONS.get(model.region);
  if (info === undefined) {
    add("region", model.region, `a region in lib/regions.ts: ${[...REGIONS.keys()].join(", ")}`);
    return problems;
  }
  const zones = model.network.availabilityZones;
  const allowedZones = info.azLetters.map((l) => model.region + l);
  if (zones.length < 2) add("network.availabilityZones", zones, "at least 2 zones (ALB, NAT and cache failover)");
  zones.forEach((zone, i) => {
    if (!allowedZones.includes(zone)) add(`network.availabilityZones[${i}]`, zone, `one of ${allowedZones.join(", ")}`);
    if (zones.indexOf(zone) !== i) add(`network.availabilityZones[${i}]`, zone, "each zone once");
  });
  try {
    const layout = subnetLayout(model.network.vpcCidr, zones.length);
    for (const tier of ["public", "private", "data"] as const) {
      const actual = model.network.subnets[tier].map((s) => s.cidr);
      if (JSON.stringify(actual) !== JSON.stringify(layout[tier])) {
        add(`network.subnets.${tier}`, actual, `the layout of ${model.network.vpcCidr}: ${layout[tier].join(", ")}`);
      }
    }
  } catch (error) {
    add("network.vpcCidr", model.network.vpcCidr, (error as Error).message);
  }
  const certificateName = acmPrimaryDomainProblem(model.loadBalancer.certificate.domainName);
  if (certificateName !== undefined) {
    add("loadBalancer.certificate.domainName", model.loadBalancer.certificate.domainName, certificateName);
  }
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(model.cache.nodeType)) {
    add("cache.nodeType", model.cache.nodeType, "an ElastiCache node type, cache.<family>.<size>, e.g. cache.t3.micro");
  }
  const clusters = model.cache.numCacheClusters;
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > MAX_CACHE_REPLICAS + 1) {
    add(
      "cache.numCacheClusters",
      clusters,
      `1-${MAX_CACHE_REPLICAS + 1} (a primary and 0-${MAX_CACHE_REPLICAS} replicas)`,
    );
  }
  if (![0, ...Array.from({ length: 24 }, (_, i) => i + 7)].includes(model.secret.recoveryWindowInDays)) {
    add("secret.recoveryWindowInDays", model.secret.recoveryWindowInDays, "0 (delete at once) or 7-30 days");
  }
  for (const [key, kind, value] of namesOf(model)) {
    const error = awsNameError(kind, value);
    if (error !== undefined) add(key, value, error);
  }
  if (model.database !== undefined) {
    for (const p of databaseProblems(model.database)) add(`database.${p.key}`, p.value, p.allowed);
    const keys = new Set(model.secret.keys);
    const missing = DATABASE_SECRET_KEYS.filter((k) => !keys.has(k));
    if (missing.length > 0)
      add("secret.keys", model.secret.keys, `a list with ${missing.join(", ")}: the database's coordinates`);
  }
  model.services.forEach((service, i) => {
    if (service.consumes.includes("database") && model.database === undefined) {
      add(`services[${i}].consumes`, service.consumes, 'no "database": this region has none');
    }
  });
  const names = model.services.map((s) => s.name);
  model.services.forEach((service, i) => {
    if (names.indexOf(service.name) !== i) add(`services[${i}].name`, service.name, "each service once per region");
    if (service.region !== model.region || service.environment !== model.environment) {
      add(
        `services[${i}]`,
        `${service.environment}/${service.region}`,
        `a service of this region (${model.environment}/${model.region})`,
      );
    }
    for (const p of serviceProblems(service, model.secret.keys))
      add(`services.${service.name}.${p.key}`, p.value, p.allowed);
  });
  problems.push(...connectionProblems(model));
  const priorities = new Map<number, string>();
  for (const service of model.services) {
    service.routes.forEach((route, i) => {
      const owner = priorities.get(route.priority);
      if (owner !== undefined) {
        add(
          `services.${service.name}.routes[${i}].priority`,
          route.priority,
          `a priority not already used by ${owner}`,
        );
      }
      priorities.set(route.priority, `${service.name}.routes[${i}]`);
    });
  }
  return problems;
}

/**
 * Service-to-service paths and the capabilities they need: each `consumes` entry is a store or another service
 * of the region with a port; a path puts both ends in the region's Service Connect namespace (the provider
 * publishing its port); ECS Exec needs the region's session log group.
 */
function connectionProblems(model: RegionModel): Problem[] {
  const problems: Problem[] = [];
  const add = (key: string, value: unknown, allowed: string) => problems.push({ key, value, allowed });
  const byName = new Map(model.services.map((s) => [s.name, s]));
  for (const service of model.services) {
    service.consumes.forEach((target, i) => {
      if ((CONSUMABLE_STORES as readonly string[]).includes(target)) return;
      const peer = byName.get(target);
      if (target === service.name || peer === undefined || peer.port === undefined) {
        add(
          `services.${service.name}.consumes[${i}]`,
          target,
          `${CONSUMABLE_STORES.join(", ")} or another service of the region with a port (${model.services
            .filter((s) => s.port !== undefined && s !== service)
            .map((s) => s.name)
            .join(", ")})`,
        );
      }
    });
    const joined = service.serviceConnect;
    if (joined !== undefined && joined.namespace !== model.serviceConnect?.namespace) {
      add(
        `services.${service.name}.serviceConnect.namespace`,
        joined.namespace,
        `the region's namespace (${model.serviceConnect?.namespace ?? "none"})`,
      );
    }
  }
  const paths = servicePaths(model.services);
  if (paths.length > 0 && model.serviceConnect === undefined) {
    add("serviceConnect", undefined, "a Service Connect namespace: services consume other services");
  }
  for (const path of paths) {
    if (byName.get(path.consumer)?.serviceConnect === undefined) {
      add(`services.${path.consumer}.serviceConnect`, undefined, `Service Connect: it consumes ${path.provider}`);
    }
    if (byName.get(path.provider)?.serviceConnect?.publish === undefined) {
      add(
        `services.${path.provider}.serviceConnect.publish`,
        undefined,
        `its port, published: ${path.consumer} consumes it`,
      );
    }
  }
  const execs = model.services.filter((s) => s.exec).map((s) => s.name);
  if (execs.length > 0 && model.ecsExec === undefined) {
    add("ecsExec", undefined, `a session log group: ${execs.join(", ")} use ECS Exec`);
  }
  return problems;
}
