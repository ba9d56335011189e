/**
 * Errors as the CLI prints them. For each kind of bad input (config caught by the schema, config caught by the
 * resolve step, a component's arguments, a StackReference's outputs) the error the program throws is rendered
 * the way `pulumi up` prints an uncaught error (render-as-cli.ts), and the text must name every bad key with
 * its value, without object dumps or stack traces.
 */
import { recorder, settle } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { Observability } from "../../components/observability/Observability";
import { SecureBucket } from "../../components/SecureBucket";
import { GlobalEdge } from "../../components/edge/GlobalEdge";
import { HeliumRegion } from "../../components/region/HeliumRegion";
import { HeliumService } from "../../components/service/HeliumService";
import { InputError, type Problem } from "../../lib/input-error";
import { KNOWN_REGION_CODES, REGIONS, type RegionInfo } from "../../lib/regions";
import { main } from "../../stacks";
import { SHARED_OUTPUTS, TEST_ACCOUNT, environmentModel, regionModel } from "../fixtures/models";
import { configOf } from "../fixtures/stack-config";
import { assertReadableAsCli, renderAsCli } from "./render-as-cli";

/** What `run` throws or rejects with. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return assert.fail("expected an error");
}

const REFERENCES = { shared: SHARED_OUTPUTS, staging: { imageTag: "v1" } };

describe("errors as the CLI prints them", () => {
  beforeEach(() => {
    recorder.reset();
    recorder.setStackReferences(REFERENCES);
  });
  after(async () => {
    await settle();
    recorder.setStackReferences({});
  });

  describe("the rendering mirrors the CLI, and the checks catch what they guard against", () => {
    it("a RunError (InputError) is printed as its message alone", () => {
      const error = new InputError("test", [{ key: "k", value: 1, allowed: "2" }]);
      assert.ok(pulumi.RunError.isInstance(error));
      assert.equal(renderAsCli(error), error.message);
    });

    it("a ResourceError with hideStack is printed as its message", () => {
      assert.equal(renderAsCli(new pulumi.ResourceError("bad resource", undefined, true)), "bad resource");
    });

    it("a plain Error is printed as an unhandled exception with its stack trace: the checks reject it", () => {
      const error = new Error("helium:regions[0].vpcCidr: 10.0.0.0/33");
      const text = renderAsCli(error);
      assert.match(
        text,
        /^Running program '\/work\/helium' failed with an unhandled exception:\nError: helium:regions/,
      );
      assert.match(text, /^\s+at /m, "the stack trace is printed");
      assert.throws(() => assertReadableAsCli(error, "helium:regions", [["helium:regions[0].vpcCidr", "10.0.0.0/33"]]));
    });

    it("an error whose own fields hold nested objects is dumped with [Object]: the checks reject it", () => {
      // The counter-example from STYLE.md: a config error class whose fields the CLI prints with util.inspect.
      class ConfigErrorWithFields extends Error {
        constructor(readonly issues: ReadonlyArray<{ key: string; detail: object }>) {
          super("Invalid configuration");
        }
      }
      const error = new ConfigErrorWithFields([{ key: "helium:regions", detail: { found: { value: { cidr: "x" } } } }]);
      assert.match(renderAsCli(error), /\[Object\]/);
      assert.throws(() => assertReadableAsCli(error, "Invalid configuration", []));
    });
  });

  describe("bad config", () => {
    it("caught by the schema: every bad key with its value", async () => {
      const error = await thrown(() =>
        main({
          stack: "staging",
          config: configOf("staging", {
            "helium:services": { backend: { cpu: 256, memory: 4096 } },
            "helium:alerts": { emails: ["ops at he2.site"] },
            "helium:regions": [{ region: "ap-south-1", availabilityZones: ["ap-south-1a", "us-east-1b"] }],
          }),
        }),
      );
      assertReadableAsCli(error, 'Invalid input for stack "staging" (3 problems); nothing was created:', [
        ["helium:services.backend.cpu", "256"],
        ["helium:alerts.emails[0]", '"ops at he2.site"'],
        ["helium:regions[0].availabilityZones[1]", '"us-east-1b"'],
      ]);
    });

    it("caught by the resolve step (cross-field and cross-stack): every bad key with its value", async () => {
      const error = await thrown(() =>
        main({
          stack: "production",
          config: configOf("production", {
            "helium:regions": [
              { region: "ap-south-1", vpcCidr: "10.0.0.0/16" },
              { region: "eu-west-1", vpcCidr: "10.0.0.0/17" },
            ],
            "helium:services": { worker: { repository: "helium-jobs" } },
          }),
        }),
      );
      assertReadableAsCli(error, 'Invalid input for stack "production" (3 problems); nothing was created:', [
        ["helium:regions[1].region", '"eu-west-1"'],
        ["helium:regions[1].vpcCidr", '"10.0.0.0/17"'],
        ["helium:services.worker.repository", '"helium-jobs"'],
      ]);
    });

    it("a catalog region without an address slot: its vpcCidr, missing, and a sentence saying what to set", async () => {
      // lib/regions.ts has a slot for every region today (nine slots, nine regions), so the test adds a tenth
      // region to the loaded catalog for this run only, as a region added without a slot would be.
      const regions = REGIONS as Map<string, RegionInfo>;
      const codes = KNOWN_REGION_CODES as string[];
      const seoul = {
        code: "ap-northeast-2",
        name: "seoul",
        short: "sel",
        displayName: "Seoul",
        azLetters: ["a", "b", "c"],
        elbLogDeliveryAccountId: "600734575887",
        managedGrafana: true,
        cidrIndex: Number.NaN,
      };
      regions.set(seoul.code, seoul);
      codes.push(seoul.code);
      recorder.setStackReferences({
        ...REFERENCES,
        shared: { ...SHARED_OUTPUTS, imageRegions: [...SHARED_OUTPUTS.imageRegions, seoul.code] },
      });
      try {
        const error = await thrown(() =>
          main({
            stack: "staging",
            config: configOf("staging", { "helium:regions": [{ region: "ap-south-1" }, { region: seoul.code }] }),
          }),
        );
        const text = assertReadableAsCli(error, 'Invalid input for stack "staging" (1 problem)', [
          ["helium:regions[1].vpcCidr", "(missing)"],
        ]);
        assert.ok(
          text.includes(
            "helium:regions[1].vpcCidr: (missing) — allowed: a vpcCidr: ap-northeast-2 has no address slot in lib/regions.ts, so set helium:regions[1].vpcCidr to a /16 that overlaps no other region",
          ),
          text,
        );
      } finally {
        regions.delete(seoul.code);
        codes.splice(codes.indexOf(seoul.code), 1);
      }
    });

    it("without a role: helium:role, missing", async () => {
      const error = await thrown(() =>
        main({ stack: "dev", config: configOf("staging", { "helium:role": undefined }) }),
      );
      assertReadableAsCli(error, 'Invalid input for stack "dev" (1 problem); nothing was created:', [
        ["helium:role", "(missing)"],
      ]);
    });
  });

  describe("bad component arguments", () => {
    it("HeliumRegion: every bad field of the model with its value", async () => {
      const model = regionModel();
      const error = await thrown(
        () =>
          new HeliumRegion("bad-region", {
            model: {
              ...model,
              cache: { ...model.cache, nodeType: "t3.micro", numCacheClusters: 9 },
              network: { ...model.network, availabilityZones: ["ap-south-1a", "ap-south-1a"] },
            },
            account: TEST_ACCOUNT,
            hostedZoneId: SHARED_OUTPUTS.hostedZoneId,
          }),
      );
      assertReadableAsCli(error, "Invalid input for HeliumRegion bad-region", [
        ["model.cache.nodeType", '"t3.micro"'],
        ["model.cache.numCacheClusters", "9"],
        ["model.network.availabilityZones[1]", '"ap-south-1a"'],
      ]);
    });

    it("HeliumService: every bad field of the model with its value", async () => {
      const model = regionModel();
      const foundation = new HeliumRegion("service-foundation", {
        model,
        account: TEST_ACCOUNT,
        hostedZoneId: SHARED_OUTPUTS.hostedZoneId,
      });
      const backend = model.services.find((s) => s.name === "backend");
      assert.ok(backend);
      const error = await thrown(
        () =>
          new HeliumService("bad-service", {
            model: { ...backend, cpu: 256, memory: 4096, image: "helium-backend:latest", port: 70000 },
            foundation,
            account: TEST_ACCOUNT,
          }),
      );
      assertReadableAsCli(error, "Invalid input for HeliumService bad-service", [
        ["model.cpu", '{"cpu":256,"memory":4096}'],
        ["model.port", "70000"],
        ["model.image", '"helium-backend:latest"'],
      ]);
    });

    it("GlobalEdge: every bad field with its value", async () => {
      const edge = environmentModel().edge;
      const error = await thrown(
        () =>
          new GlobalEdge("bad-edge", {
            model: {
              ...edge,
              acceleratorName: "helium_accelerator",
              endpointGroups: [{ region: "ap-south-1", trafficDialPercent: 150 }],
            },
            regions: [{ region: "ap-south-1", albArn: "arn:aws:elasticloadbalancing:ap-south-1:123456789012:x" }],
            account: TEST_ACCOUNT,
          }),
      );
      assertReadableAsCli(error, "Invalid input for GlobalEdge bad-edge", [
        ["model.acceleratorName", '"helium_accelerator"'],
        ["model.endpointGroups[0].trafficDialPercent", "150"],
      ]);
    });

    it("SecureBucket: the bucket name with its value", async () => {
      const error = await thrown(
        () => new SecureBucket("bad-bucket", { region: "ap-south-1", bucketName: "Helium_Files" }),
      );
      assertReadableAsCli(error, "Invalid input for SecureBucket bad-bucket (1 problem)", [
        ["bucketName", '"Helium_Files"'],
      ]);
    });

    it("Observability: every bad argument with its value", async () => {
      const settings = environmentModel().observability;
      const error = await thrown(
        () =>
          new Observability("bad-observability", {
            environment: "staging",
            regions: [],
            ...settings,
            alerts: { ...settings.alerts, cpu: { thresholdPercent: 101, recoveryPercent: 60 } },
          }),
      );
      assertReadableAsCli(error, "Invalid input for Observability bad-observability", [
        ["regions", "[]"],
        ["alerts.cpu.thresholdPercent", "101"],
      ]);
    });
  });

  describe("bad StackReference outputs", () => {
    it("a missing shared output: the reference, its config key and the output, (missing)", async () => {
      const { hostedZoneId: _absent, ...rest } = SHARED_OUTPUTS;
      recorder.setStackReferences({ ...REFERENCES, shared: rest });
      const error = await thrown(() => main({ stack: "staging", config: configOf("staging") }));
      assertReadableAsCli(error, 'Invalid input for stack "staging" (1 problem); nothing was created:', [
        ["StackReference shared (helium:sharedStack).hostedZoneId", "(missing)"],
      ]);
    });

    it("malformed outputs, nested ones included, and a promoted stack without imageTag: each with its value", async () => {
      recorder.setStackReferences({
        shared: {
          ...SHARED_OUTPUTS,
          registryId: "mock",
          environments: { ...SHARED_OUTPUTS.environments, production: { addressLane: "0" } },
        },
        staging: { apiUrl: "https://api-staging.he2.site" },
      });
      const error = await thrown(() => main({ stack: "production", config: configOf("production") }));
      const problems: readonly Problem[] = (error as InputError).problems;
      assert.equal(problems.length, 3, renderAsCli(error));
      assertReadableAsCli(error, 'Invalid input for stack "production" (3 problems); nothing was created:', [
        ["StackReference shared (helium:sharedStack).registryId", '"mock"'],
        ["StackReference shared (helium:sharedStack).environments.production.addressLane", '"0"'],
        ["StackReference staging (helium:promoteFrom).imageTag", "(missing)"],
      ]);
    });
  });
});
