/**
 * Environments are data: a third environment, `dev`, is added by config alone. The shared stack registers it
 * (helium:environments: its deploy branch and address lane 1), and a stack named `dev` with `helium:role:
 * environment` runs the same program. It must get its own default VPC CIDRs (lane 1: 10.11/10.21/10.31, see
 * lib/cidr.ts defaultVpcCidr), names carrying `-dev`, and nothing that collides with staging or production.
 *
 * The shared stack is evaluated in a child process with dev registered, and its real outputs feed the dev
 * stack, which runs in-process through main() (there is no Pulumi.dev.yaml to evaluate). Staging and
 * production are the committed stacks' evaluations.
 */
import { recorder, settle, valueOf } from "../harness/component";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { cidrsOverlap, defaultVpcCidr } from "../../lib/cidr";
import { InputError } from "../../lib/input-error";
import { regionInfo } from "../../lib/regions";
import { main } from "../../stacks";
import { configOf } from "../fixtures/stack-config";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { physicalNames } from "./physical-names";
import { startEvaluations } from "../harness/prefetch";

const SEED_REGIONS = ["ap-south-1", "ap-southeast-1", "us-east-1"];
const ENVIRONMENTS = {
  staging: { branch: "beta", pushImages: true, addressLane: 10 },
  production: { branch: "migrated-demo2", pushImages: false, addressLane: 0 },
  dev: { branch: "dev", pushImages: false, addressLane: 1 },
};
/** A dev stack: staging's file in the seed's three regions, on its own image tag. */
const DEV_CONFIG = configOf("staging", {
  "helium:regions": SEED_REGIONS.map((region) => ({ region })),
  "helium:imageTag": "v7",
});

const ofType = (resources: readonly RecordedResource[], type: string) => resources.filter((r) => r.type === type);
const vpcCidrs = (resources: readonly RecordedResource[]) =>
  ofType(resources, "aws:ec2/vpc:Vpc").map((v) => String(v.inputs.cidrBlock));

describe("environments are data: a dev stack added by config alone", function () {
  this.timeout(180_000);
  startEvaluations([["shared", { configOverrides: { "helium:environments": JSON.stringify(ENVIRONMENTS) } }]]);
  let shared: StackEvaluation;
  let staging: StackEvaluation;
  let production: StackEvaluation;
  let dev: { outputs: Record<string, unknown>; resources: RecordedResource[] };

  before(async () => {
    [shared, staging, production] = await Promise.all([
      evaluateStack("shared", { configOverrides: { "helium:environments": JSON.stringify(ENVIRONMENTS) } }),
      evaluateStack("staging"),
      evaluateStack("production"),
    ]);
    recorder.reset();
    recorder.setStackReferences({ shared: shared.outputs });
    const exported = await main({ stack: "dev", config: DEV_CONFIG });
    const outputs = await valueOf(pulumi.output(exported));
    await settle();
    dev = { outputs, resources: [...recorder.resources] };
  });

  after(() => recorder.setStackReferences({}));

  describe("the shared stack registers dev", () => {
    it("exports dev's address lane next to staging's and production's", () => {
      assert.deepEqual(shared.outputs.environments, {
        staging: { addressLane: 10 },
        production: { addressLane: 0 },
        dev: { addressLane: 1 },
      });
    });

    it("creates helium-deploy-dev, trusted only for the dev branch", () => {
      const roles = ofType(shared.resources, "aws:iam/role:Role").filter((r) => r.inputs.name === "helium-deploy-dev");
      assert.equal(roles.length, 1);
      const trust = JSON.parse(String(roles[0].inputs.assumeRolePolicy)) as {
        Statement: Array<{ Condition: { StringEquals: Record<string, string> } }>;
      };
      assert.equal(
        trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"],
        "repo:helium-app/helium:ref:refs/heads/dev",
      );
    });
  });

  describe("the dev stack", () => {
    it("evaluates as an environment named dev: its provider tags and outputs say dev", () => {
      assert.equal(dev.outputs.environment, "dev");
      assert.equal(dev.outputs.imageTag, "v7");
      assert.equal(dev.outputs.apiUrl, "https://api-dev.he2.site");
      const providers = ofType(dev.resources, "pulumi:providers:aws");
      assert.equal(providers.length, 1);
      // Provider inputs reach the engine as JSON text.
      assert.deepEqual((JSON.parse(String(providers[0].inputs.defaultTags)) as { tags: Record<string, string> }).tags, {
        Project: "helium",
        Environment: "dev",
        ManagedBy: "pulumi",
        Stack: "dev",
      });
      assert.deepEqual(
        ofType(dev.resources, "pulumi:pulumi:StackReference").map((r) => r.inputs.name),
        ["shared"],
      );
    });

    it("gets lane 1's default VPC CIDRs: 10.11, 10.21 and 10.31", () => {
      const expected = SEED_REGIONS.map((region) => {
        const cidr = defaultVpcCidr(1, regionInfo(region).cidrIndex);
        assert.ok("cidr" in cidr, region);
        return cidr.cidr;
      });
      assert.deepEqual(expected, ["10.11.0.0/16", "10.21.0.0/16", "10.31.0.0/16"]);
      assert.deepEqual(vpcCidrs(dev.resources), expected);
    });

    it("overlaps no VPC of staging or production", () => {
      const others = [...vpcCidrs(staging.resources), ...vpcCidrs(production.resources)];
      assert.equal(others.length, 4);
      for (const a of vpcCidrs(dev.resources)) {
        for (const b of others) assert.ok(!cidrsOverlap(a, b), `${a} overlaps ${b}`);
      }
    });

    it("names every resource with dev: `-dev` in names, `/dev/` in paths", () => {
      const names = physicalNames(dev.resources);
      for (const [kind, list] of Object.entries(names)) {
        assert.ok(list.length > 0, `dev has ${kind} names`);
        for (const name of list) assert.match(name, /(^|[-/])dev([-/]|$)/, `${kind} ${name}`);
      }
      assert.deepEqual(names.cluster, [
        "helium-mumbai-dev-cluster",
        "helium-singapore-dev-cluster",
        "helium-virginia-dev-cluster",
      ]);
      assert.deepEqual(names.accelerator, ["helium-dev-accelerator"]);
      assert.ok(names.secret.every((name) => name === "helium/backend/dev"));
      for (const role of ofType(dev.resources, "aws:iam/role:Role"))
        assert.equal(role.inputs.path, "/helium/dev/", `${String(role.inputs.name)}`);
    });

    for (const other of ["staging", "production"] as const) {
      it(`shares no physical name with ${other}, and no input of dev mentions one of ${other}'s`, () => {
        const evaluation = other === "staging" ? staging : production;
        const theirs = Object.values(physicalNames(evaluation.resources)).flat();
        const ours = new Set(Object.values(physicalNames(dev.resources)).flat());
        assert.ok(theirs.length > 20, `${other} has names`);
        assert.deepEqual(
          theirs.filter((name) => ours.has(name)),
          [],
          "no name in common",
        );
        // Secrets Manager names are unique per region; the same `helium/backend/<env>` in each region is intended.
        for (const r of dev.resources) {
          const serialized = JSON.stringify(r.inputs);
          for (const name of theirs)
            assert.ok(!serialized.includes(name), `dev ${r.type} ${r.name} mentions ${other}'s ${name}`);
        }
      });
    }
  });

  describe("an environment the shared stack does not register", () => {
    it("fails naming helium:environment when a region has no explicit vpcCidr, registering nothing but the read", async () => {
      recorder.reset();
      let caught: unknown;
      try {
        await main({ stack: "qa", config: DEV_CONFIG });
      } catch (error) {
        caught = error;
      }
      await settle();
      assert.ok(caught instanceof InputError, String(caught));
      const problems = caught.problems.filter((p) => p.key === "helium:environment");
      assert.ok(problems.length > 0, caught.message);
      assert.equal(problems[0].value, "qa");
      for (const registered of ["staging", "production", "dev"])
        assert.match(problems[0].allowed, new RegExp(registered));
      assert.match(problems[0].allowed, /registered in the shared stack's helium:environments/);
      assert.match(problems[0].allowed, /or an explicit vpcCidr for every region/);
      assert.deepEqual(
        recorder.resources.map((r) => r.type),
        ["pulumi:pulumi:StackReference"],
      );
    });
  });
});
