/**
 * The resolve step of an application environment: validated config plus the referenced stacks' outputs
 * become an {@link EnvironmentModel}. Pure: no resource is registered, no Output is read. Every problem is
 * collected and thrown together as one InputError, so a bad input stops the program before anything exists.
 */
import type { EnvironmentConfig } from "../config/environment";
import { grafanaRegionFor } from "../config/observability";
import { environmentName } from "../config/primitives";
import type { ServiceSpec } from "../config/services";
import { defaultRegionVpcCidr, findOverlaps } from "../lib/cidr";
import { type Problem, Problems, keyPath } from "../lib/input-error";
import { awsNameError } from "../lib/naming";
import { environmentNames } from "../lib/physical-names";
import { resolveRoutePriorities } from "../lib/routing";
import { regionalApiLabel, resolveApiGateway } from "./api-gateway";
import type { EnvironmentReferences, SharedOutputs } from "./references";
import { regionProblems, resolveRegion } from "./region";
import { resolveService } from "./service";
import type { ApiGatewayModel } from "./types/edge";
import type { EnvironmentModel } from "./types/environment";
import type { RegionModel } from "./types/region";
import type { ServiceModel } from "./types/service";

/** ACM puts the primary name in the certificate's common name, which is at most 64 characters (RFC 5280 ub-common-name). */
const MAX_CERTIFICATE_NAME = 64;
/** ACM's default quota of names per certificate (ACM quotas: "Domain names per ACM certificate", 10). */
const MAX_CERTIFICATE_NAMES = 10;

/** True when `host` is `name`, or `name` is a wildcard one label above it (`*.he2.site` covers `admin.he2.site`). */
export function certificateCovers(name: string, host: string): boolean {
  if (name === host) return true;
  return name.startsWith("*.") && host.endsWith(name.slice(1)) && !host.slice(0, -name.length + 1).includes(".");
}

/**
 * The exact host names the environment's services route on. Each must lie in the environment's zone (the
 * program writes its DNS record and puts it on the certificate), and none may hold a wildcard: a wildcard host
 * has no DNS record of its own. Outside production a host must carry the environment's name, so no environment
 * ever writes a record production uses in the shared zone. Problems are added for the others.
 */
function routedHosts(
  services: Readonly<Record<string, ServiceSpec>>,
  domain: string,
  ownedSuffix: (host: string) => boolean,
  ownership: string,
  problems: Problems,
): string[] {
  const hosts = new Set<string>();
  for (const [name, spec] of Object.entries(services)) {
    spec.routes.forEach((route, r) => {
      (route.hostHeaders ?? []).forEach((host, h) => {
        const at = key("services", name, "routes", r, "hostHeaders", h);
        const lower = host.toLowerCase();
        if (/[*?]/.test(lower)) {
          problems.add(
            at,
            host,
            `an exact host name under ${domain}: a wildcard host gets no DNS record or certificate name`,
          );
        } else if (lower !== domain && !lower.endsWith(`.${domain}`)) {
          problems.add(at, host, `a host name under ${domain}, the zone this environment writes its records into`);
        } else if (!ownedSuffix(lower)) {
          problems.add(at, host, ownership);
        } else {
          hosts.add(lower);
        }
      });
    });
  }
  return [...hosts].sort();
}

/**
 * The rules between an environment's config and the shared stack's outputs: images are replicated to every
 * region, the registry holds every repository, and an environment that takes default CIDRs is registered
 * (with its address lane). They read only the keys they need, so they also run on a config of which other
 * keys failed: one run names every bad key.
 */
export function crossStackProblems(
  stack: string,
  config: Partial<EnvironmentConfig>,
  shared: SharedOutputs,
): Problem[] {
  const problems = new Problems();
  (config.regions ?? []).forEach((entry, i) => {
    if (!shared.imageRegions.includes(entry.region)) {
      problems.add(
        key("regions", i, "region"),
        entry.region,
        `a region the shared stack replicates images to (${shared.imageRegions.join(", ")}); add it to the shared stack's helium:replicationRegions`,
      );
    }
  });
  for (const [name, spec] of Object.entries(config.services ?? {})) {
    if (spec.enabled && shared.repositories[spec.repository] === undefined) {
      problems.add(
        key("services", name, "repository"),
        spec.repository,
        `a repository of the shared stack: ${Object.keys(shared.repositories).join(", ")}`,
      );
    }
  }
  const env = config.environment ?? stack;
  const needsLane = (config.regions ?? []).some((r) => r.vpcCidr === undefined);
  if (needsLane && shared.environments[env] === undefined) {
    problems.add(
      "helium:environment",
      env,
      `an environment registered in the shared stack's helium:environments (registered: ${Object.keys(shared.environments).join(", ") || "none"}), or an explicit vpcCidr for every region`,
    );
  }
  return [...problems.items];
}

/**
 * What to set when a region gets no default VPC CIDR (`problem` from lib/cidr.ts defaultRegionVpcCidr), as a
 * sentence naming the missing key `at`: the value shown beside it is the vpcCidr the config lacks.
 */
export function noDefaultVpcCidr(at: string, region: string, env: string, problem: Problem): string {
  const fix = `so set ${at} to a /16 that overlaps no other region`;
  switch (problem.key) {
    case "addressSlot":
      return `a vpcCidr: ${region} has no address slot in lib/regions.ts, ${fix}`;
    case "addressLane":
      return `a vpcCidr: the address lane the shared stack's helium:environments registers for ${env} (${JSON.stringify(problem.value)}) is not ${problem.allowed}, ${fix}`;
    default:
      return `a vpcCidr: ${region} has no default (${problem.allowed}), ${fix}`;
  }
}

export interface EnvironmentInput {
  /** `pulumi.getStack()`: the default environment name. */
  readonly stack: string;
  /** `aws:region`. */
  readonly homeRegion: string;
  readonly config: EnvironmentConfig;
  readonly references: EnvironmentReferences;
}

const key = (...segments: readonly (string | number)[]) =>
  keyPath("helium:" + String(segments[0]), ...segments.slice(1));

/** Resolves an environment. Throws an InputError listing every problem; registers nothing. */
export function resolveEnvironment(input: EnvironmentInput): EnvironmentModel {
  const { config, references } = input;
  const { shared } = references;
  const problems = new Problems();
  const env = config.environment ?? input.stack;
  if (config.environment === undefined && !environmentName.safeParse(env).success) {
    problems.add("helium:environment", env, "an environment name (the stack name is not one): set helium:environment");
  }
  const production = config.production;
  const protect = config.protect ?? production;

  problems.addAll(crossStackProblems(input.stack, config, shared));
  const services: Record<string, ServiceSpec> = Object.fromEntries(
    Object.entries(config.services).filter(([, spec]) => spec.enabled),
  );
  // Address plan: explicit CIDRs, else the lane the shared stack registered for this environment.
  const lane = shared.environments[env]?.addressLane;
  const vpcCidrs = config.regions.map((entry, i): string | undefined => {
    if (entry.vpcCidr !== undefined) return entry.vpcCidr;
    if (lane === undefined) return undefined; // reported by crossStackProblems
    const cidr = defaultRegionVpcCidr(lane, entry.region);
    if ("problems" in cidr) {
      const at = key("regions", i, "vpcCidr");
      for (const p of cidr.problems) problems.add(at, undefined, noDefaultVpcCidr(at, entry.region, env, p));
      return undefined;
    }
    return cidr.cidr;
  });
  const known = vpcCidrs
    .map((c, i) => [c, i] as const)
    .filter((p): p is readonly [string, number] => p[0] !== undefined);
  for (const [a, b] of findOverlaps(known.map(([c]) => c))) {
    const [cidrB, j] = known[b];
    const [cidrA, i] = known[a];
    problems.add(
      key("regions", j, "vpcCidr"),
      cidrB,
      `a block disjoint from helium:regions[${i}].vpcCidr (${cidrA}, ${config.regions[i].region}): regions may be peered`,
    );
  }

  const apiRecordName = config.apiRecordName ?? (production ? "api" : `api-${env}`);
  const apiFqdn = `${apiRecordName}.${shared.domain}`;
  // Production's certificate covers the apex and every host below it; other environments only their API name.
  const certificateName = production ? shared.domain : apiFqdn;
  const baseNames = production ? [`*.${shared.domain}`] : [];
  const hosts = routedHosts(
    services,
    shared.domain,
    (host) => production || host.endsWith(`-${env}.${shared.domain}`) || host.endsWith(`.${env}.${shared.domain}`),
    `outside production, a host named for the environment: <name>-${env}.${shared.domain} or <name>.${env}.${shared.domain} (the zone is shared with production)`,
    problems,
  );
  // Each routed host needs a certificate name: those the base names do not cover are added.
  const alternativeNames = [
    ...baseNames,
    ...hosts.filter((h) => ![certificateName, ...baseNames].some((n) => certificateCovers(n, h))),
  ];
  // Entry apiGateway: each region also serves its own API name (what its health check probes); the region's
  // certificate adds it unless a base name covers it (production's *.<domain>).
  const apiGatewayEntry = config.entry === "apiGateway";
  const regionalCertificateNames = (region: string): string[] => {
    if (!apiGatewayEntry) return [];
    const regional = `${regionalApiLabel(apiRecordName, region)}.${shared.domain}`;
    return [certificateName, ...alternativeNames].some((n) => certificateCovers(n, regional)) ? [] : [regional];
  };
  const regionalNameCount = Math.max(0, ...config.regions.map((r) => regionalCertificateNames(r.region).length));
  if (alternativeNames.length + 1 + regionalNameCount > MAX_CERTIFICATE_NAMES) {
    problems.add(
      "helium:services",
      alternativeNames,
      `at most ${MAX_CERTIFICATE_NAMES} certificate names (ACM's default quota): fewer host routes, or hosts one level below the domain in production (covered by *.${shared.domain})`,
    );
  }
  if (certificateName.length > MAX_CERTIFICATE_NAME) {
    problems.add(
      config.apiRecordName === undefined ? "helium:environment" : "helium:apiRecordName",
      certificateName,
      `a certificate name of at most ${MAX_CERTIFICATE_NAME} characters (ACM common name)`,
    );
  }
  // A route's automatic priority depends on that route alone, so adding or removing a service moves no rule.
  const routing = resolveRoutePriorities(services);
  problems.addAll(routing.problems, "helium:services.");
  const priorities = routing.priorities;
  let grafanaRegion: string | undefined;
  if (config.grafana.enabled) {
    const placement = grafanaRegionFor(
      config.grafana,
      config.regions.map((r) => r.region),
    );
    if ("error" in placement) problems.add("helium:grafana.region", config.grafana.region, placement.error);
    else grafanaRegion = placement.region;
  }
  problems.throwIfAny(`stack "${input.stack}"`);

  const tags = { Project: "helium", Environment: env, ManagedBy: "pulumi", Stack: input.stack };
  const corsOrigins = config.appOrigins ?? [`https://${shared.domain}`, `https://www.${shared.domain}`];
  // Service Connect is on when one service consumes another: the environment's namespace in every region.
  const serviceNamesList = Object.keys(services);
  const consumesAService = Object.entries(services).some(([name, spec]) =>
    spec.consumes.some((c) => c !== name && serviceNamesList.includes(c)),
  );
  const serviceConnectNamespace = consumesAService
    ? environmentNames(env, input.homeRegion).serviceNamespace
    : undefined;
  const regions = config.regions.map((entry, index): RegionModel => {
    const regionServices = Object.entries(services).map(([name, spec]): ServiceModel =>
      resolveService(name, spec, {
        environment: env,
        region: entry.region,
        registryId: shared.registryId,
        imageTag: references.imageTag,
        repositoryArn: shared.repositories[spec.repository]?.arns[entry.region] ?? "",
        priorities: priorities[name] ?? [],
        tags: {},
        ...(serviceConnectNamespace !== undefined ? { serviceConnectNamespace } : {}),
        maxProcessingSeconds: config.queue.maxProcessingSeconds,
        serviceNames: serviceNamesList,
      }),
    );
    const regionalNames = regionalCertificateNames(entry.region);
    return resolveRegion(config, entry, {
      environment: env,
      production,
      protect,
      vpcCidr: vpcCidrs[index] as string,
      certificate: {
        domainName: certificateName,
        alternativeNames: [...alternativeNames, ...regionalNames],
        // ACM uses one validation record per name and account, whatever the region: the first region writes it.
        createValidationRecords: index === 0,
        ...(regionalNames.length > 0 ? { regionalNames } : {}),
      },
      corsOrigins,
      services: regionServices,
      ...(apiGatewayEntry ? { internalLoadBalancer: true } : {}),
    });
  });
  regions.forEach((region, i) => {
    for (const p of regionProblems(region))
      problems.add(`${key("regions", i)} (${region.region}) ${p.key}`, p.value, p.allowed);
    const missing = region.services.filter((s) => s.repositoryArn === "");
    for (const s of missing) {
      problems.add(
        key("services", s.name, "repository"),
        `${services[s.name]?.repository} in ${region.region}`,
        "a repository the shared stack replicates to this region",
      );
    }
  });
  let apiGateway: ApiGatewayModel | undefined;
  if (apiGatewayEntry) {
    const resolved = resolveApiGateway({
      environment: env,
      domain: shared.domain,
      hostedZoneId: shared.hostedZoneId,
      apiRecordName,
      apiFqdn,
      routedHosts: hosts,
      config: config.apiGateway,
      regions: regions.map((r) => r.region),
      services: regions[0].services,
      logRetentionDays: config.logRetentionDays,
    });
    for (const p of resolved.problems) problems.add(p.key, p.value, p.allowed);
    apiGateway = resolved.model;
  }
  const edgeNames = environmentNames(env, regions[0].region);
  const acceleratorName = edgeNames.accelerator;
  const acceleratorError = awsNameError("acceleratorName", acceleratorName);
  if (acceleratorError !== undefined) problems.add("helium:environment", env, acceleratorError);
  problems.throwIfAny(`stack "${input.stack}"`);

  return {
    stack: input.stack,
    environment: env,
    production,
    homeRegion: input.homeRegion,
    account: references.account,
    domain: shared.domain,
    hostedZoneId: shared.hostedZoneId,
    imageTag: references.imageTag,
    imageSelection: references.imageSelection ?? { source: "config", tag: references.imageTag },
    protect,
    tags,
    regions,
    entry: config.entry,
    ...(apiGateway !== undefined ? { apiGateway } : {}),
    edge: {
      acceleratorName,
      apiFqdn,
      hostedZoneId: shared.hostedZoneId,
      hostRecords: hosts.filter((h) => h !== apiFqdn),
      ...(config.accelerator.flowLogs ? { flowLogBucket: edgeNames.acceleratorFlowLogsBucket } : {}),
      generatedBucketName: !production,
      endpointGroups: config.regions.map((r) => ({ region: r.region, trafficDialPercent: r.trafficDialPercent })),
      ...(config.alb.acceptOnlyFromAccelerator ? { albIngressOnlyFromAccelerator: true } : {}),
    },
    observability: {
      alerts: config.alerts,
      grafana: { ...config.grafana, ...(grafanaRegion !== undefined ? { workspaceRegion: grafanaRegion } : {}) },
      tracing: config.tracing,
    },
  };
}
