import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import type { AwsNameKind } from "../../lib/aws-name-catalog";
import { awsNameAllowed } from "../../lib/aws-name-rules";
import {
  type DeployPolicyGroup,
  ENVIRONMENT_NAME_KINDS,
  PREVIEW_ROLE_NAME,
  REGION_NAME_KINDS,
  SERVICE_NAME_KINDS,
  SERVICE_REGION_NAME_KINDS,
  deployPolicyName,
  environmentNames,
  regionNames,
  serviceNames,
  serviceRegionNames,
} from "../../lib/physical-names";
import { ENVIRONMENT_NAME_PATTERN, SCHEME_WORDS, SERVICE_NAME_PATTERN } from "../../lib/naming";
import { KNOWN_REGION_CODES, REGIONS, regionInfo } from "../../lib/regions";

const GROUPS: readonly DeployPolicyGroup[] = ["compute", "data", "edge", "network", "observability"];

/** One named thing: its kind, its name, and what it was built from (two identities may not share a name). */
interface Named {
  readonly kind: AwsNameKind;
  readonly name: string;
  readonly identity: string;
}

function entries<T extends object>(names: T, kinds: Readonly<Record<keyof T, AwsNameKind>>, identity: string): Named[] {
  return (Object.keys(kinds) as Array<keyof T>).flatMap((field) => {
    const name = names[field];
    return typeof name === "string" ? [{ kind: kinds[field], name, identity: `${identity}.${String(field)}` }] : [];
  });
}

interface World {
  readonly environments: readonly string[];
  readonly regions: readonly string[];
  readonly services: ReadonlyArray<readonly [string, number | undefined]>;
}

/** Every name a world of environments × regions × services creates. */
function allNames(world: World): Named[] {
  const out: Named[] = [];
  for (const env of world.environments) {
    const envId = `env(${env})`;
    out.push(...entries(environmentNames(env, world.regions[0]), ENVIRONMENT_NAME_KINDS, envId));
    for (const group of GROUPS)
      out.push({ kind: "iamPolicy", name: deployPolicyName(env, group), identity: `${envId}.${group}` });
    for (const [svc] of world.services)
      out.push(...entries(serviceNames(env, svc), SERVICE_NAME_KINDS, `${envId}.svc(${svc})`));
    for (const region of world.regions) {
      const regionId = `${envId}.region(${region})`;
      out.push(...entries(regionNames(env, region), REGION_NAME_KINDS, regionId));
      for (const [svc, port] of world.services) {
        out.push(
          ...entries(
            serviceRegionNames(env, region, svc, port),
            SERVICE_REGION_NAME_KINDS,
            `${regionId}.svc(${svc},${port})`,
          ),
        );
      }
    }
  }
  out.push({ kind: "iamRole", name: PREVIEW_ROLE_NAME, identity: "preview" });
  return out;
}

// Names deployed today (tests/fixtures and the URN baseline): none may change.
const DEPLOYED_PRODUCTION_MUMBAI = {
  region: {
    kmsAlias: "alias/helium-key-mum",
    albSecurityGroup: "helium-mumbai-alb-sg",
    ecsSecurityGroup: "helium-mumbai-ecs-sg",
    redisSecurityGroup: "helium-mumbai-redis-sg",
    endpointsSecurityGroup: "helium-mumbai-endpoints-sg",
    flowLogsRole: "helium-flow-logs-mum",
    flowLogGroup: "/helium/production/vpc-flow-logs/ap-south-1",
    loadBalancer: "helium-alb-mum",
    cluster: "helium-mumbai-cluster",
    workQueue: "helium-work-mum",
    deadLetterQueue: "helium-work-dlq-mum",
    redisSubnetGroup: "helium-redis-subnets-mum",
    redisReplicationGroup: "helium-redis-mum",
    albLogsBucket: "helium-alb-logs-mum",
    filesBucket: "helium-files-mum",
    alertsTopic: "helium-alerts-mum",
    albErrorRateAlarm: "helium-alb-5xx-rate-mum",
    deadLetterAlarm: "helium-dlq-not-empty-mum",
    queueAgeAlarm: "helium-queue-age-mum",
    redisCpuAlarm: "helium-redis-cpu-mum",
    redisMemoryAlarm: "helium-redis-memory-mum",
    redisEvictionsAlarm: "helium-redis-evictions-mum",
  },
  backend: {
    executionRole: "helium-backend-exec-mum",
    taskRole: "helium-backend-task-mum",
    taskFamily: "helium-backend-mum",
    targetGroup: "helium-backend-8000-mum",
    cpuHighAlarm: "helium-backend-cpu-high-mum",
    cpuRecoveredAlarm: "helium-backend-cpu-recovered-mum",
    memoryHighAlarm: "helium-backend-memory-high-mum",
    memoryRecoveredAlarm: "helium-backend-memory-recovered-mum",
    unhealthyTargetsAlarm: "helium-backend-unhealthy-targets-mum",
  },
};

describe("lib/physical-names", () => {
  describe("names deployed today stay the same", () => {
    it("production in Mumbai: every region name and backend's names", () => {
      const region = regionNames("production", "ap-south-1");
      for (const [field, name] of Object.entries(DEPLOYED_PRODUCTION_MUMBAI.region)) {
        assert.equal(region[field as keyof typeof region], name, field);
      }
      assert.deepEqual(
        serviceRegionNames("production", "ap-south-1", "backend", 8000),
        DEPLOYED_PRODUCTION_MUMBAI.backend,
      );
    });

    it("production: environment, service and shared-stack names", () => {
      const env = environmentNames("production", "ap-south-1");
      assert.equal(env.accelerator, "helium-accelerator");
      assert.equal(env.acceleratorFlowLogsBucket, "helium-accelerator-flow-logs-ap-south-1");
      assert.equal(env.dashboard, "helium-production");
      assert.equal(env.grafanaWorkspace, "helium-production");
      assert.equal(env.grafanaRole, "helium-grafana-production");
      assert.equal(env.xrayGroup, "helium-production");
      assert.equal(env.xraySamplingRule, "helium-production");
      assert.equal(env.backendSecret, "helium/backend/production");
      assert.equal(env.deployRole, "helium-deploy-production");
      assert.equal(deployPolicyName("production", "observability"), "helium-deploy-production-observability");
      assert.deepEqual(
        { ...serviceNames("production", "worker"), discoveryName: undefined },
        {
          ecsService: "helium-worker-service",
          logGroup: "/helium/production/worker",
          cpuScalingPolicy: "helium-worker-service-cpu",
          memoryScalingPolicy: "helium-worker-service-memory",
          backlogScalingPolicy: "helium-worker-service-backlog",
          appContainer: "helium-worker",
          xrayContainer: "helium-worker-xray",
          discoveryName: undefined,
        },
      );
      assert.equal(
        serviceRegionNames("production", "us-east-1", "frontend", 3000).targetGroup,
        "helium-frontend-3000-va",
      );
      assert.equal(regionNames("production", "ap-southeast-1").cluster, "helium-singapore-cluster");
    });

    it("staging in Mumbai", () => {
      const region = regionNames("staging", "ap-south-1");
      assert.equal(region.kmsAlias, "alias/helium-key-staging-mum");
      assert.equal(region.albSecurityGroup, "helium-mumbai-staging-alb-sg");
      assert.equal(region.cluster, "helium-mumbai-staging-cluster");
      assert.equal(region.redisReplicationGroup, "helium-redis-staging-mum");
      assert.equal(region.redisSubnetGroup, "helium-redis-subnets-staging-mum");
      assert.equal(region.deadLetterQueue, "helium-work-dlq-staging-mum");
      assert.equal(region.filesBucket, "helium-files-staging-mum");
      assert.equal(region.albErrorRateAlarm, "helium-alb-5xx-rate-staging-mum");
      const backend = serviceRegionNames("staging", "ap-south-1", "backend", 8000);
      assert.equal(backend.targetGroup, "helium-backend-8000-staging-mum");
      assert.equal(backend.executionRole, "helium-backend-exec-staging-mum");
      assert.equal(backend.memoryRecoveredAlarm, "helium-backend-memory-recovered-staging-mum");
      assert.equal(
        serviceRegionNames("staging", "ap-south-1", "frontend", 3000).targetGroup,
        "helium-frontend-3000-staging-mum",
      );
      assert.equal(serviceRegionNames("staging", "ap-south-1", "worker", undefined).targetGroup, undefined);
      assert.equal(serviceNames("staging", "backend").cpuScalingPolicy, "helium-backend-staging-service-cpu");
      const env = environmentNames("staging", "ap-south-1");
      assert.equal(env.accelerator, "helium-staging-accelerator");
      assert.equal(env.acceleratorFlowLogsBucket, "helium-staging-accelerator-flow-logs-ap-south-1");
      assert.equal(env.iamRolePath, "/helium/staging/");
    });
  });

  it("the README's staging notifications service gets a target group that fits", () => {
    const name = serviceRegionNames("staging", "ap-south-1", "notifications", 8000).targetGroup ?? "";
    assert.equal(awsNameAllowed("targetGroup", name), undefined);
    assert.match(name, /^helium-noti-staging-mum-[0-9a-f]{8}$/);
  });

  it("uses only scheme words besides the environment, service, region and port", () => {
    const env = "qqenv";
    const svc = "qqsvc";
    const region = "ap-south-1";
    const free = new Set([
      "qqenv",
      "qqsvc",
      "8000",
      regionInfo(region).name,
      regionInfo(region).short,
      ...region.split("-"),
    ]);
    const names = allNames({ environments: [env], regions: [region], services: [[svc, 8000]] })
      .map((n) => n.name)
      .filter((n) => !n.includes("/")); // '/'-delimited names read one way whatever their words
    for (const name of names) {
      for (const word of name.split(/[-.]/)) {
        assert.ok(free.has(word) || SCHEME_WORDS.has(word), `"${word}" in ${name} is not in SCHEME_WORDS`);
      }
    }
  });

  describe("properties", () => {
    // Names from the patterns, and names built from the words that make spellings collide.
    const words = [
      "staging",
      "production",
      "dev",
      "backend",
      "a",
      "b",
      "x1",
      "dlq",
      "work",
      "cpu",
      "high",
      "mum",
      "sg",
      "exec",
      "service",
      "files",
    ];
    const composed = (max: number) =>
      fc
        .array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 })
        .map((parts) => parts.join("-"))
        .filter((s) => s.length <= max);
    const environment = fc
      .oneof(fc.stringMatching(ENVIRONMENT_NAME_PATTERN), composed(16))
      .filter((s) => ENVIRONMENT_NAME_PATTERN.test(s));
    const service = fc
      .oneof(fc.stringMatching(SERVICE_NAME_PATTERN), composed(20))
      .filter((s) => SERVICE_NAME_PATTERN.test(s));
    const region = fc.constantFrom(...KNOWN_REGION_CODES);
    const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });

    it("every derived name is valid for its kind, for any environment, service, port and region", () => {
      fc.assert(
        fc.property(environment, service, port, region, (env, svc, p, code) => {
          for (const named of allNames({ environments: [env], regions: [code], services: [[svc, p]] })) {
            assert.equal(awsNameAllowed(named.kind, named.name), undefined, `${named.identity}: ${named.name}`);
          }
        }),
        { numRuns: 1500 },
      );
    });

    it("the same input gives the same names", () => {
      fc.assert(
        fc.property(environment, service, port, region, (env, svc, p, code) => {
          const world = { environments: [env], regions: [code], services: [[svc, p]] as const };
          assert.deepEqual(allNames(world), allNames(world));
        }),
      );
    });

    /** No two things of one kind share a name: the namespace check behind "distinct inputs, distinct names". */
    function assertNoSharedNames(w: World): void {
      const owners = new Map<string, string>();
      for (const named of allNames(w)) {
        // Container names are scoped to one task definition and discovery names to one environment's
        // namespace; every other kind shares an account-wide (or region-wide) namespace, and treating
        // them all as account-wide is the stricter check.
        if (named.kind === "ecsContainer") continue;
        const scope = named.kind === "serviceConnectDiscoveryName" ? named.identity.split(".")[0] : "";
        const key = `${named.kind}${scope}:${named.name.toLowerCase()}`;
        const owner = owners.get(key);
        assert.ok(owner === undefined || owner === named.identity, `${key} is both ${owner} and ${named.identity}`);
        owners.set(key, named.identity);
      }
    }

    it("distinct inputs give distinct names, for any environments, regions and services", () => {
      const world = fc.record({
        environments: fc.uniqueArray(environment, { minLength: 1, maxLength: 3 }),
        regions: fc.uniqueArray(region, { minLength: 1, maxLength: 3 }),
        services: fc.uniqueArray(fc.tuple(service, port), { minLength: 1, maxLength: 4, selector: ([s]) => s }),
      });
      fc.assert(fc.property(world, assertNoSharedNames), { numRuns: 500 });
    });

    it("distinct inputs give distinct names, for environment and service names built to collide", () => {
      // A few words, and every pair of them: `a-staging` in production against `a` in staging, `work` in
      // environment `dlq` against production's `work-dlq`, and so on.
      const pool = ["production", "staging", "a", "b", "dlq", "work", "cpu", "high", "mum", "exec", "service"];
      const world = fc.uniqueArray(fc.constantFrom(...pool), { minLength: 2, maxLength: 4 }).chain((picked) => {
        const spellings = [...picked, ...picked.flatMap((x) => picked.map((y) => `${x}-${y}`))];
        return fc.record({
          environments: fc.uniqueArray(fc.constantFrom(...spellings.filter((s) => ENVIRONMENT_NAME_PATTERN.test(s))), {
            minLength: 1,
            maxLength: 3,
          }),
          regions: fc.uniqueArray(fc.constantFrom("ap-south-1", "ap-southeast-1"), { minLength: 1, maxLength: 2 }),
          services: fc.uniqueArray(fc.tuple(fc.constantFrom(...spellings), fc.constantFrom(8000, undefined)), {
            minLength: 1,
            maxLength: 5,
            selector: ([s]) => s,
          }),
        });
      });
      fc.assert(fc.property(world, assertNoSharedNames), { numRuns: 3000 });
    });

    it("a service's two containers differ, whatever its name", () => {
      fc.assert(
        fc.property(environment, service, (env, svc) => {
          const names = serviceNames(env, svc);
          assert.notEqual(names.appContainer, names.xrayContainer);
        }),
      );
    });
  });

  it("covers every region of the catalog", () => {
    assert.deepEqual([...REGIONS.keys()].sort(), [...KNOWN_REGION_CODES].sort());
  });
});
