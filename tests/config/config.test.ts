/**
 * Stack config: parseStackConfig (config/stack.ts) validates `helium:*` and `aws:region` for the stack's role
 * (`helium:role`), and the resolve step (model/environment.ts) checks what needs more than one key or another
 * stack's outputs. Both throw one InputError that names each bad key, its value and what is allowed.
 */
import * as assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { parseStackConfig } from "../../config/stack";
import { STACK_ROLES } from "../../config/read";
import { defaultVpcCidr, findOverlaps } from "../../lib/cidr";
import { InputError } from "../../lib/input-error";
import { INTERFACE_ENDPOINTS } from "../../lib/platform";
import { KNOWN_REGION_CODES, regionInfo } from "../../lib/regions";
import { evaluateStack } from "../../offline/evaluate";
import { SHARED_OUTPUTS } from "../fixtures/models";
import {
  assertProblem,
  committedStacks,
  configOf,
  inputErrorOf,
  parsedStack,
  resolvedEnvironment,
} from "../fixtures/stack-config";

const SEED_REGIONS = ["ap-south-1", "ap-southeast-1", "us-east-1"];

/** Parsing `stack`'s committed config with overrides fails; the InputError is returned for more checks. */
const parseError = (stack: string, overrides: Record<string, unknown>) =>
  inputErrorOf(() => parsedStack(stack, overrides));
/** Parsing passes but the resolve step fails. */
const resolveError = (stack: string, overrides: Record<string, unknown>) => {
  const config = configOf(stack, overrides);
  parseStackConfig({ stack, config }); // the schema accepts it: the rule is the resolve step's
  return inputErrorOf(() => resolvedEnvironment(stack, config));
};
const staging = (overrides: Record<string, unknown> = {}) =>
  resolvedEnvironment("staging", configOf("staging", overrides));
const production = (overrides: Record<string, unknown> = {}) =>
  resolvedEnvironment("production", configOf("production", overrides));

describe("config", () => {
  describe("committed stack files", () => {
    it("are the four known ones (a new file is a new stack, and must pass the tests below)", () => {
      assert.deepEqual(committedStacks(), ["local", "production", "shared", "staging"]);
    });

    for (const stack of committedStacks()) {
      it(`Pulumi.${stack}.yaml parses for the role it declares`, () => {
        const parsed = parsedStack(stack);
        assert.equal(parsed.stack, stack);
        assert.equal(parsed.role, configOf(stack)["helium:role"]);
      });
    }

    it("declare their roles: shared, two environments (production flagged), one Kubernetes stack", () => {
      assert.deepEqual(
        committedStacks().map((stack) => [stack, parsedStack(stack).role]),
        [
          ["local", "kubernetes"],
          ["production", "environment"],
          ["shared", "shared"],
          ["staging", "environment"],
        ],
      );
      assert.equal(configOf("production")["helium:production"], "true");
      assert.equal(configOf("staging")["helium:production"], undefined);
    });

    it("staging runs Mumbai only, production the seed's three regions, each with a non-overlapping VPC", () => {
      const s = staging();
      const p = production();
      assert.deepEqual(
        s.regions.map((r) => r.region),
        ["ap-south-1"],
      );
      assert.deepEqual(
        p.regions.map((r) => r.region),
        SEED_REGIONS,
      );
      assert.deepEqual(findOverlaps([...s.regions, ...p.regions].map((r) => r.network.vpcCidr)), []);
      const parsed = parsedStack("production");
      assert.ok(parsed.role === "environment");
      assert.equal(parsed.config.promoteFrom, "staging");
      assert.equal(parsed.config.imageTag, undefined);
    });
  });

  describe("the stack's role comes from helium:role, not its name", () => {
    it("a stack without helium:role fails naming the key and listing the roles", () => {
      const error = parseError("staging", { "helium:role": undefined });
      assertProblem(error, "helium:role", /helium:role: \(missing\)/);
      for (const role of STACK_ROLES) assert.match(error.message, new RegExp(role));
      assert.equal(error.problems.length, 1, "nothing else is checked without a role");
    });

    it("an unknown role is named with its value", () => {
      assertProblem(parseError("staging", { "helium:role": "env" }), "helium:role", /helium:role: "env"/);
    });

    it("any stack name works with a role: `dev` is an environment, `staging` can be a shared stack", () => {
      const dev = parseStackConfig({ stack: "dev", config: configOf("staging") });
      assert.equal(dev.role, "environment");
      assert.equal(dev.stack, "dev");
      const sharedNamedStaging = parseStackConfig({ stack: "staging", config: configOf("shared") });
      assert.equal(sharedNamedStaging.role, "shared");
    });

    it("the role's schema applies: shared's keys are unknown to an environment", () => {
      const error = inputErrorOf(() =>
        parseStackConfig({
          stack: "shared",
          config: { ...configOf("shared"), "helium:role": "environment" },
        }),
      );
      assertProblem(error, "helium:domain", /unknown keys "domain", "replicationRegions", "github"/);
      assertProblem(error, "helium:sharedStack", /\(missing\)/);
    });
  });

  describe("errors name the key, the value and what is allowed", () => {
    it("an unknown key is named with the allowed keys", () => {
      assertProblem(
        parseError("staging", { "helium:colour": "blue" }),
        "helium:colour",
        /helium:colour: "blue" — allowed: unknown key "colour"; allowed keys: .*sharedStack.*regions/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", cidr: "10.9.0.0/16" }] }),
        "helium:regions[0].cidr",
        /"10\.9\.0\.0\/16" — allowed: unknown key "cidr"; allowed keys: region, vpcCidr/,
      );
      assertProblem(
        parseError("shared", { "helium:githubRepo": "a/b" }),
        "helium:githubRepo",
        /allowed keys: role, domain/,
      );
    });

    it("a wrong type", () => {
      assertProblem(
        parseError("staging", { "helium:logRetentionDays": "thirty" }),
        "helium:logRetentionDays",
        /"thirty"/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": "ap-south-1" }),
        "helium:regions",
        /"ap-south-1"/,
        /a list \(a YAML sequence\): the value is not valid JSON/,
      );
      assertProblem(
        parseError("staging", { "helium:protect": "yes" }),
        "helium:protect",
        /"yes" — allowed: true or false, not text/,
      );
      assertProblem(
        parseError("staging", { "helium:services": "{bad" }),
        "helium:services",
        /helium:services: "\{bad" — allowed: an object \(a YAML mapping\): the value is not valid JSON \(.*position 1.*\); write it as YAML/,
      );
    });

    // Changed with the restructure: a missing key now reads `(missing) — allowed: a value (required; <type>)`.
    it("a missing required key", () => {
      assertProblem(
        parseError("staging", { "helium:sharedStack": undefined }),
        "helium:sharedStack",
        /helium:sharedStack: \(missing\) — allowed: a value \(required; text\)/,
      );
      assertProblem(
        parseError("production", { "helium:regions": undefined }),
        "helium:regions",
        /helium:regions: \(missing\) — allowed: a value \(required; a list \(a YAML sequence\)\)/,
      );
      assertProblem(
        parseError("staging", { "aws:region": undefined }),
        "aws:region",
        /aws:region: \(missing\) — allowed: the home region, one of ap-south-1/,
      );
      assertProblem(parseError("shared", { "aws:region": "moon-1" }), "aws:region", /aws:region: "moon-1"/);
    });

    // Moved with the restructure: overlap is a resolve-step rule (default CIDRs come from the shared stack's lanes).
    it("overlapping VPC CIDRs name both keys (resolve step)", () => {
      const error = resolveError("production", {
        "helium:regions": [
          { region: "ap-south-1", vpcCidr: "10.0.0.0/16" },
          { region: "us-east-1", vpcCidr: "10.0.0.0/17" },
        ],
      });
      assertProblem(
        error,
        "helium:regions[1].vpcCidr",
        /helium:regions\[1\]\.vpcCidr: "10\.0\.0\.0\/17" — allowed: a block disjoint from helium:regions\[0\]\.vpcCidr \(10\.0\.0\.0\/16, ap-south-1\)/,
      );
      assert.equal(error.problems.length, 1);
      // An explicit CIDR that lands on another region's default (production's lane 0) is caught too.
      const onDefault = defaultVpcCidr(0, regionInfo("ap-south-1").cidrIndex);
      assert.ok("cidr" in onDefault);
      assertProblem(
        resolveError("production", {
          "helium:regions": [{ region: "ap-south-1" }, { region: "us-east-1", vpcCidr: onDefault.cidr }],
        }),
        "helium:regions[1].vpcCidr",
        /a block disjoint from helium:regions\[0\]\.vpcCidr \(10\.10\.0\.0\/16, ap-south-1\)/,
      );
    });

    it("an invalid CIDR or a VPC prefix outside /16-/19", () => {
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/33" }] }),
        "helium:regions[0].vpcCidr",
        /"10\.0\.0\.0\/33"/,
        /IPv4 CIDR/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.1/16" }] }),
        "helium:regions[0].vpcCidr",
        /no host bits/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/20" }] }),
        "helium:regions[0].vpcCidr",
        /\/16 to \/19/,
      );
    });

    it("an unknown region lists the known ones", () => {
      const error = parseError("staging", { "helium:regions": [{ region: "mars-east-1" }] });
      assertProblem(error, "helium:regions[0].region", /"mars-east-1"/);
      for (const code of KNOWN_REGION_CODES) assert.ok(error.message.includes(code), code);
    });

    it("fewer than 2 AZs, more than the region has, or an AZ of another region", () => {
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", azCount: 1 }] }),
        "helium:regions[0].azCount",
        /at least 2 availability zones/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a"] }] }),
        "helium:regions[0].availabilityZones",
        /at least 2/,
      );
      assertProblem(
        parseError("staging", { "helium:regions": [{ region: "ap-south-1", azCount: 4 }] }),
        "helium:regions[0].azCount",
        /ap-south-1 offers ap-south-1a, ap-south-1b, ap-south-1c here/,
      );
      assertProblem(
        parseError("staging", {
          "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a", "us-east-1b"] }],
        }),
        "helium:regions[0].availabilityZones[1]",
        /"us-east-1b"/,
        /ap-south-1a, ap-south-1b, ap-south-1c/,
      );
    });

    it("a Fargate CPU/memory pair AWS does not offer: the cpu key with its own value", () => {
      assertProblem(
        parseError("staging", { "helium:services": { backend: { cpu: 256, memory: 4096 } } }),
        "helium:services.backend.cpu",
        /helium:services\.backend\.cpu: 256 — allowed: a CPU size Fargate pairs with memory 4096 MiB \(cpu 512, 1024, 2048\), or memory 512, 1024, 2048 MiB with cpu 256/,
      );
      assertProblem(
        parseError("staging", { "helium:services": { backend: { cpu: 300 } } }),
        "helium:services.backend.cpu",
        /helium:services\.backend\.cpu: 300 — allowed: a Fargate CPU size: 256, 512/,
      );
    });

    it("imageTag and promoteFrom: both, or neither", () => {
      assertProblem(
        parseError("staging", { "helium:promoteFrom": "staging" }),
        "helium:imageTag",
        /"v1" — allowed: no imageTag with promoteFrom: promotion deploys exactly what/,
      );
      assertProblem(
        parseError("staging", { "helium:imageTag": undefined }),
        "helium:imageTag",
        /\(missing\) — allowed: an image tag or sha256 digest, or helium:promoteFrom/,
      );
      assertProblem(
        parseError("staging", { "helium:imageTag": "v1 beta" }),
        "helium:imageTag",
        /"v1 beta"/,
        /image tag/,
      );
    });

    it("a secret key the backend secret does not declare", () => {
      assertProblem(
        parseError("staging", { "helium:services": { backend: { secrets: ["REDIS_HOST", "STRIPE_KEY"] } } }),
        "helium:services.backend.secrets[1]",
        /"STRIPE_KEY" — allowed: a key the backend secret declares: REDIS_HOST, REDIS_PORT, REDIS_AUTH_TOKEN/,
      );
      const ok = parsedStack("staging", {
        "helium:services": { backend: { secrets: ["REDIS_HOST", "STRIPE_KEY"] } },
        "helium:appSecrets": { STRIPE_KEY: "sk_test" },
      });
      assert.ok(ok.role === "environment");
      assert.deepEqual(ok.config.services.backend.secrets, ["REDIS_HOST", "STRIPE_KEY"]);
    });

    it("a region listed twice", () => {
      assertProblem(
        parseError("production", {
          "helium:regions": [{ region: "ap-south-1" }, { region: "us-east-1" }, { region: "ap-south-1" }],
        }),
        "helium:regions[2].region",
        /"ap-south-1" — allowed: each region once \(ap-south-1 is listed twice\)/,
      );
    });

    it("a region the shared stack does not replicate images to (resolve step)", () => {
      assertProblem(
        resolveError("staging", { "helium:regions": [{ region: "ap-south-1" }, { region: "eu-west-1" }] }),
        "helium:regions[1].region",
        /"eu-west-1" — allowed: a region the shared stack replicates images to \(ap-south-1, ap-southeast-1, us-east-1\); add it to the shared stack's helium:replicationRegions/,
      );
    });

    it("a repository the shared stack does not hold (resolve step)", () => {
      assertProblem(
        resolveError("staging", { "helium:services": { worker: { repository: "helium-jobs" } } }),
        "helium:services.worker.repository",
        /"helium-jobs" — allowed: a repository of the shared stack: helium-backend, helium-frontend/,
      );
    });

    it("an environment the shared stack does not register, without explicit CIDRs, names helium:environment (resolve step)", () => {
      const error = inputErrorOf(() => resolvedEnvironment("qa", configOf("staging")));
      assertProblem(
        error,
        "helium:environment",
        /helium:environment: "qa" — allowed: an environment registered in the shared stack's helium:environments \(registered: production, staging, dev\), or an explicit vpcCidr for every region/,
      );
      // With an explicit CIDR for every region the lane is not needed.
      const explicit = resolvedEnvironment(
        "qa",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.200.0.0/16" }] }),
      );
      assert.equal(explicit.regions[0].network.vpcCidr, "10.200.0.0/16");
    });
  });

  describe("names derived from config", () => {
    it("a short environment name yields valid physical names everywhere", () => {
      const model = resolvedEnvironment(
        "abcdefghijklmno",
        configOf("staging", { "helium:regions": [{ region: "us-east-1", vpcCidr: "10.200.0.0/16" }] }),
      );
      assert.equal(model.regions[0].loadBalancer.name, "helium-alb-abcdefghijklmno-va");
    });

    // DEFECT: helium:environment accepts 20 characters (config/primitives.ts environmentName), but the ALB name
    // helium-alb-<env>-<region short> allows 32, so a name over 17 characters fails in the resolve step under a
    // key the user never wrote. Input: stack a-very-long-env-name (role environment, staging's file, regions
    // [{ region: us-east-1, vpcCidr: 10.200.0.0/16 }]) → "helium:regions[0] (us-east-1) loadBalancer.name:
    // "helium-alb-a-very-long-env-name-va"". Fix: cap environmentName at what every derived name fits (STYLE.md:
    // "physical names that always fit"), or key the problem helium:environment. Unskip once fixed.
    it("a valid environment name either yields valid names or is rejected as helium:environment", () => {
      const config = configOf("staging", { "helium:regions": [{ region: "us-east-1", vpcCidr: "10.200.0.0/16" }] });
      try {
        resolvedEnvironment("a-very-long-env-name", config);
      } catch (error) {
        assert.ok(error instanceof InputError, String(error));
        assert.deepEqual(
          error.problems.map((p) => p.key),
          error.problems.map(() => "helium:environment"),
          error.message,
        );
      }
    });
  });

  describe("every key has an effect", () => {
    /** Setting `helium:<section>.<key>` is rejected naming that key, or changes the resolved model. */
    function assertHasEffect(section: string, key: string, value: unknown): void {
      const overrides = { [`helium:${section}`]: { [key]: value } };
      let changed: boolean;
      try {
        changed = !isDeepStrictEqual(staging(overrides), staging());
      } catch (error) {
        assert.ok(error instanceof InputError, String(error));
        assertProblem(error, `helium:${section}.${key}`);
        return;
      }
      assert.ok(changed, `helium:${section}.${key}: ${JSON.stringify(value)} is accepted and changes nothing`);
    }

    it("the check passes for keys that act: helium:accelerator.flowLogs, helium:alb.idleTimeoutSeconds", () => {
      assertHasEffect("accelerator", "flowLogs", false);
      assertHasEffect("alb", "idleTimeoutSeconds", 120);
    });

    // DEFECT: since the restructure GlobalEdge sets no endpoint-group health check (GA uses the ALB's target
    // health for ALB endpoints), yet config/environment.ts still accepts and documents these three keys: they are
    // silently ignored. Input (staging): helium:accelerator: { healthCheckPath: /other, healthCheckIntervalSeconds:
    // 30, thresholdCount: 7 } resolves to exactly the default model. Fix: drop the keys from acceleratorSchema
    // (they then fail as unknown keys), or make them reach the model. Unskip once fixed.
    for (const [key, value] of [
      ["healthCheckPath", "/other"],
      ["healthCheckIntervalSeconds", 30],
      ["thresholdCount", 7],
    ] as const) {
      it(`helium:accelerator.${key} is rejected, or changes what is built`, () => {
        assertHasEffect("accelerator", key, value);
      });
    }
  });

  describe("defaults resolved per environment", () => {
    it("staging saves cost: single NAT, no interface endpoints, no deletion protection, no snapshots", () => {
      const model = staging();
      assert.deepEqual(
        model.regions.map((r) => [
          r.network.natGateways,
          r.network.interfaceEndpoints.length,
          r.network.availabilityZones.length,
        ]),
        [["single", 0, 2]],
      );
      assert.equal(model.regions[0].loadBalancer.deletionProtection, false);
      assert.equal(model.protect, false);
      assert.equal(model.edge.apiFqdn, "api-staging.he2.site");
      assert.equal(model.regions[0].cache.snapshotRetentionDays, 0);
      assert.equal(model.environment, "staging");
      assert.equal(model.production, false);
      assert.equal(model.homeRegion, "ap-south-1");
    });

    it("production is resilient: NAT per AZ, every interface endpoint, deletion protection, protect, snapshots", () => {
      const model = production();
      assert.equal(model.production, true, "helium:production: true in Pulumi.production.yaml");
      for (const region of model.regions) {
        assert.equal(region.network.natGateways, "perAz");
        assert.deepEqual(region.network.interfaceEndpoints, [...INTERFACE_ENDPOINTS]);
        assert.deepEqual(region.network.availabilityZones, [`${region.region}a`, `${region.region}b`]);
        assert.equal(region.loadBalancer.deletionProtection, true);
        assert.ok(region.cache.snapshotRetentionDays > 0);
      }
      assert.equal(model.protect, true);
      assert.equal(model.edge.apiFqdn, "api.he2.site");
    });

    it("production defaults follow helium:production, not the stack name", () => {
      const notFlagged = production({ "helium:production": undefined });
      assert.equal(notFlagged.production, false);
      assert.equal(notFlagged.regions[0].network.natGateways, "single");
      assert.equal(notFlagged.edge.apiFqdn, "api-production.he2.site");
    });

    it("explicit values win over the environment's defaults", () => {
      const model = staging({
        "helium:regions": [{ region: "ap-south-1", natGateways: "perAz", interfaceEndpoints: ["ecr.api"] }],
        "helium:alb": { deletionProtection: true },
        "helium:protect": true,
        "helium:apiRecordName": "api-beta",
        "helium:redis": { snapshotRetentionDays: 3 },
      });
      const [region] = model.regions;
      assert.deepEqual([region.network.natGateways, region.network.interfaceEndpoints], ["perAz", ["ecr.api"]]);
      assert.deepEqual(
        [region.loadBalancer.deletionProtection, model.protect, model.edge.apiFqdn, region.cache.snapshotRetentionDays],
        [true, true, "api-beta.he2.site", 3],
      );
    });

    it("default VPC CIDRs never overlap across staging and production in the three regions", () => {
      const regions = SEED_REGIONS.map((region) => ({ region }));
      const stagingAll = staging({ "helium:regions": regions });
      const productionAll = production({ "helium:regions": regions });
      const cidrs = [...stagingAll.regions, ...productionAll.regions].map((r) => r.network.vpcCidr);
      assert.equal(new Set(cidrs).size, 6);
      assert.deepEqual(findOverlaps(cidrs), []);
      assert.deepEqual(
        productionAll.regions.map((r) => r.network.vpcCidr),
        ["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16"],
        "production keeps the blocks it was deployed with (lane 0)",
      );
      assert.equal(stagingAll.regions[0].network.vpcCidr, "10.110.0.0/16", "staging keeps 10.110 (lane 10)");
      assert.equal(SHARED_OUTPUTS.environments.production.addressLane, 0);
    });

    it("keeps a numeric-looking image tag a string", () => {
      const parsed = parsedStack("staging", { "helium:imageTag": "123" });
      assert.ok(parsed.role === "environment");
      assert.equal(parsed.config.imageTag, "123");
      assert.equal(typeof parsed.config.imageTag, "string");
    });
  });

  // One child-process evaluation through index.ts, so the entry point's own wiring (pulumi.getStack() and the
  // runtime's config into main) is proven; every other bad input runs in-process (tests/errors).
  describe("whole stack evaluation through index.ts", function () {
    this.timeout(120_000);

    it("rejects a bad config with the InputError's message, naming the key and value", async () => {
      await assert.rejects(
        evaluateStack("staging", {
          configOverrides: { "helium:regions": JSON.stringify([{ region: "ap-south-1", vpcCidr: "10.0.0.0/33" }]) },
        }),
        (error: Error) => {
          assert.match(error.message, /^Invalid input for stack "staging" \(\d+ problems?\); nothing was created:/);
          assert.match(error.message, /helium:regions\[0\]\.vpcCidr: "10\.0\.0\.0\/33"/);
          return true;
        },
      );
    });
  });
});
