import * as assert from "node:assert/strict";
import {
  ConfigError,
  KNOWN_STACKS,
  INTERFACE_ENDPOINTS,
  type ResolvedAwsEnvironment,
  defaultVpcCidr,
} from "../../config/stacks";
import { type StackConfig, parseStackConfig } from "../../config/load";
import { findOverlaps } from "../../lib/cidr";
import { KNOWN_REGION_CODES } from "../../lib/regions";
import { readStackFile } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";

const SEED_REGIONS = ["ap-south-1", "ap-southeast-1", "us-east-1"];

/** The committed stack file's flat config with some keys replaced (`undefined` removes a key). */
function configOf(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
  const config = { ...readStackFile(stack).config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}

function environmentOf(result: StackConfig): ResolvedAwsEnvironment {
  assert.ok(
    result.stack === "staging" || result.stack === "production",
    `expected an environment, got ${result.stack}`,
  );
  return result.config;
}

/** Asserts that parsing fails with a ConfigError whose message names `key` and matches every pattern. */
function assertConfigError(
  stack: string,
  config: Record<string, string>,
  key: string,
  ...patterns: RegExp[]
): ConfigError {
  let caught: unknown;
  try {
    parseStackConfig(stack, config);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.ok(
    caught.issues.some((issue) => issue.key === key),
    `issues name ${key}: ${caught.message}`,
  );
  assert.ok(caught.message.includes(`${key}: `), caught.message);
  for (const pattern of patterns) assert.match(caught.message, pattern);
  return caught;
}

describe("config", () => {
  describe("committed stack files", () => {
    for (const stack of KNOWN_STACKS) {
      it(`Pulumi.${stack}.yaml parses`, () => {
        const result = parseStackConfig(stack, readStackFile(stack).config);
        assert.equal(result.stack, stack);
      });
    }

    it("staging runs Mumbai only, production the seed's three regions, each with a non-overlapping VPC", () => {
      const staging = environmentOf(parseStackConfig("staging", configOf("staging")));
      const production = environmentOf(parseStackConfig("production", configOf("production")));
      assert.deepEqual(
        staging.regions.map((r) => r.region),
        ["ap-south-1"],
      );
      assert.deepEqual(
        production.regions.map((r) => r.region),
        SEED_REGIONS,
      );
      assert.deepEqual(findOverlaps([...staging.regions, ...production.regions].map((r) => r.vpcCidr)), []);
      assert.equal(production.promoteFrom, "staging");
      assert.equal(production.imageTag, undefined);
    });
  });

  describe("errors name the key, the value and what is allowed", () => {
    it("an unknown stack lists the known stacks", () => {
      const error = assertConfigError("dev", {}, "stack name", /"dev"/);
      for (const stack of KNOWN_STACKS) assert.ok(error.message.includes(stack), stack);
    });

    it("an unknown key is named with the allowed keys", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:colour": "blue" }),
        "helium:colour",
        /unknown key "colour"; allowed keys: .*sharedStack.*regions/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", cidr: "10.9.0.0/16" }] }),
        "helium:regions[0].cidr",
        /unknown key "cidr"; allowed keys: region, vpcCidr/,
      );
      assertConfigError(
        "shared",
        configOf("shared", { "helium:githubRepo": "a/b" }),
        "helium:githubRepo",
        /allowed keys: domain/,
      );
    });

    it("a wrong type", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:logRetentionDays": "thirty" }),
        "helium:logRetentionDays",
        /"thirty"/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": "ap-south-1" }),
        "helium:regions",
        /"ap-south-1"/,
        /expected array/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:protect": "yes" }),
        "helium:protect",
        /expected boolean/,
      );
    });

    it("a missing required key", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:sharedStack": undefined }),
        "helium:sharedStack",
        /\(missing\) — required key is missing/,
      );
      assertConfigError(
        "production",
        configOf("production", { "helium:regions": undefined }),
        "helium:regions",
        /required key is missing/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "aws:region": undefined }),
        "aws:region",
        /\(missing\).*ap-south-1/,
      );
      assertConfigError("shared", configOf("shared", { "aws:region": "moon-1" }), "aws:region", /"moon-1"/);
    });

    it("overlapping VPC CIDRs name both keys", () => {
      const error = assertConfigError(
        "production",
        configOf("production", {
          "helium:regions": [
            { region: "ap-south-1", vpcCidr: "10.0.0.0/16" },
            { region: "us-east-1", vpcCidr: "10.0.0.0/17" },
          ],
        }),
        "helium:regions[1].vpcCidr",
        /"10\.0\.0\.0\/17"/,
        /overlaps helium:regions\[0\]\.vpcCidr \(10\.0\.0\.0\/16, ap-south-1\)/,
      );
      assert.equal(error.issues.length, 1);
      // An explicit CIDR that lands on another region's default is caught too.
      assertConfigError(
        "production",
        configOf("production", {
          "helium:regions": [
            { region: "ap-south-1" },
            { region: "us-east-1", vpcCidr: defaultVpcCidr("production", "ap-south-1") },
          ],
        }),
        "helium:regions[1].vpcCidr",
        /overlaps helium:regions\[0\]\.vpcCidr/,
      );
    });

    it("an invalid CIDR or a VPC prefix outside /16-/19", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/33" }] }),
        "helium:regions[0].vpcCidr",
        /"10\.0\.0\.0\/33"/,
        /IPv4 CIDR/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.1/16" }] }),
        "helium:regions[0].vpcCidr",
        /no host bits/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", vpcCidr: "10.0.0.0/20" }] }),
        "helium:regions[0].vpcCidr",
        /\/16 to \/19/,
      );
    });

    it("an unknown region lists the known ones", () => {
      const error = assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "mars-east-1" }] }),
        "helium:regions[0].region",
        /"mars-east-1"/,
      );
      for (const code of KNOWN_REGION_CODES) assert.ok(error.message.includes(code), code);
    });

    it("fewer than 2 AZs, more than the region has, or an AZ of another region", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", azCount: 1 }] }),
        "helium:regions[0].azCount",
        /at least 2 availability zones/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a"] }] }),
        "helium:regions[0].availabilityZones",
        /at least 2/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:regions": [{ region: "ap-south-1", azCount: 4 }] }),
        "helium:regions[0].azCount",
        /offers 3 zones/,
      );
      assertConfigError(
        "staging",
        configOf("staging", {
          "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a", "us-east-1b"] }],
        }),
        "helium:regions[0].availabilityZones[1]",
        /"us-east-1b"/,
        /ap-south-1a, ap-south-1b, ap-south-1c/,
      );
    });

    it("a Fargate CPU/memory pair AWS does not offer", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:services": { backend: { cpu: 256, memory: 4096 } } }),
        "helium:services.backend.cpu",
        /4096/,
      );
    });

    it("imageTag and promoteFrom: both, or neither", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:promoteFrom": "staging" }),
        "helium:imageTag",
        /mutually exclusive/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:imageTag": undefined }),
        "helium:imageTag",
        /set helium:imageTag .* or helium:promoteFrom/,
      );
      assertConfigError(
        "staging",
        configOf("staging", { "helium:imageTag": "v1 beta" }),
        "helium:imageTag",
        /"v1 beta"/,
        /image tag/,
      );
    });

    it("a secret key the backend secret does not declare", () => {
      assertConfigError(
        "staging",
        configOf("staging", { "helium:services": { backend: { secrets: ["REDIS_HOST", "STRIPE_KEY"] } } }),
        "helium:services.backend.secrets[1]",
        /does not declare "STRIPE_KEY"; declared keys: REDIS_HOST, REDIS_PORT, REDIS_AUTH_TOKEN/,
      );
      const ok = environmentOf(
        parseStackConfig(
          "staging",
          configOf("staging", {
            "helium:services": { backend: { secrets: ["REDIS_HOST", "STRIPE_KEY"] } },
            "helium:appSecrets": { STRIPE_KEY: "sk_test" },
          }),
        ),
      );
      assert.deepEqual(ok.services.backend.secrets, ["REDIS_HOST", "STRIPE_KEY"]);
    });

    it("a region listed twice", () => {
      assertConfigError(
        "production",
        configOf("production", {
          "helium:regions": [{ region: "ap-south-1" }, { region: "us-east-1" }, { region: "ap-south-1" }],
        }),
        "helium:regions[2].region",
        /ap-south-1 is listed twice/,
      );
    });
  });

  describe("defaults resolved per environment", () => {
    const staging = () => environmentOf(parseStackConfig("staging", configOf("staging")));
    const production = () => environmentOf(parseStackConfig("production", configOf("production")));

    it("staging saves cost: single NAT, no interface endpoints, no deletion protection, no snapshots", () => {
      const cfg = staging();
      assert.deepEqual(
        cfg.regions.map((r) => [r.natGateways, r.interfaceEndpoints.length, r.availabilityZones.length]),
        [["single", 0, 2]],
      );
      assert.equal(cfg.alb.deletionProtection, false);
      assert.equal(cfg.protect, false);
      assert.equal(cfg.apiRecordName, "api-staging");
      assert.equal(cfg.redis.snapshotRetentionDays, 0);
      assert.equal(cfg.environment, "staging");
      assert.equal(cfg.homeRegion, "ap-south-1");
    });

    it("production is resilient: NAT per AZ, every interface endpoint, deletion protection, protect, snapshots", () => {
      const cfg = production();
      for (const region of cfg.regions) {
        assert.equal(region.natGateways, "perAz");
        assert.deepEqual(region.interfaceEndpoints, [...INTERFACE_ENDPOINTS]);
        assert.deepEqual(region.availabilityZones, [`${region.region}a`, `${region.region}b`]);
      }
      assert.equal(cfg.alb.deletionProtection, true);
      assert.equal(cfg.protect, true);
      assert.equal(cfg.apiRecordName, "api");
      assert.ok(cfg.redis.snapshotRetentionDays > 0);
    });

    it("explicit values win over the environment's defaults", () => {
      const cfg = environmentOf(
        parseStackConfig(
          "staging",
          configOf("staging", {
            "helium:regions": [{ region: "ap-south-1", natGateways: "perAz", interfaceEndpoints: ["ecr.api"] }],
            "helium:alb": { deletionProtection: true },
            "helium:protect": true,
            "helium:apiRecordName": "api-beta",
            "helium:redis": { snapshotRetentionDays: 3 },
          }),
        ),
      );
      assert.deepEqual([cfg.regions[0].natGateways, cfg.regions[0].interfaceEndpoints], ["perAz", ["ecr.api"]]);
      assert.deepEqual(
        [cfg.alb.deletionProtection, cfg.protect, cfg.apiRecordName, cfg.redis.snapshotRetentionDays],
        [true, true, "api-beta", 3],
      );
    });

    it("default VPC CIDRs never overlap across staging and production in the three regions", () => {
      const regions = SEED_REGIONS.map((region) => ({ region }));
      const stagingAll = environmentOf(parseStackConfig("staging", configOf("staging", { "helium:regions": regions })));
      const productionAll = environmentOf(
        parseStackConfig("production", configOf("production", { "helium:regions": regions })),
      );
      const cidrs = [...stagingAll.regions, ...productionAll.regions].map((r) => r.vpcCidr);
      assert.equal(new Set(cidrs).size, 6);
      assert.deepEqual(findOverlaps(cidrs), []);
      assert.equal(productionAll.regions[0].vpcCidr, defaultVpcCidr("production", "ap-south-1"));
    });

    it("keeps a numeric-looking image tag a string", () => {
      const cfg = environmentOf(parseStackConfig("staging", configOf("staging", { "helium:imageTag": "123" })));
      assert.equal(cfg.imageTag, "123");
      assert.equal(typeof cfg.imageTag, "string");
    });
  });

  describe("whole stack evaluation", function () {
    this.timeout(120_000);

    it("rejects a bad config before any resource is registered, naming the key", async () => {
      await assert.rejects(
        evaluateStack("staging", {
          configOverrides: { "helium:regions": JSON.stringify([{ region: "ap-south-1", vpcCidr: "10.0.0.0/33" }]) },
        }),
        // The ConfigError comes from loadStackConfig, the first statement of runStack: nothing was registered yet.
        (error: Error) =>
          error.message.includes('Invalid configuration for stack "staging"') &&
          error.message.includes("helium:regions[0].vpcCidr") &&
          error.message.includes("10.0.0.0/33"),
      );
    });
  });
});
