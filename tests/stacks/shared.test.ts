/**
 * The `shared` stack evaluated as a whole program under mocks with Pulumi.shared.yaml: the hosted zone, the
 * replicated ECR repositories, the GitHub OIDC provider, the deploy and preview roles, and the outputs the
 * environments read through their StackReference.
 *
 * Expectations come from the stack file (domain, replication regions, repository) and from the seed (the
 * branch → environment mapping); ARNs and ids are compared with the values the mocks recorded.
 */
import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import { sharedOutputProblems } from "../../model/references";
import { SHARED_OUTPUTS } from "../fixtures/models";
import { readStackFile } from "../../offline/pulumi-yaml";
import { evaluateStack } from "../../offline/evaluate";
import type { RecordedResource, StackEvaluation } from "../../offline/types";

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: Record<string, unknown>;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const statementsOf = (policy: unknown): Statement[] =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

const STACK_FILE = readStackFile("shared").config;
const DOMAIN = STACK_FILE["helium:domain"];
const HOME_REGION = STACK_FILE["aws:region"];
const IMAGE_REGIONS = [HOME_REGION, ...(JSON.parse(STACK_FILE["helium:replicationRegions"]) as string[])];
const GITHUB_REPOSITORY = (JSON.parse(STACK_FILE["helium:github"]) as { repository: string }).repository;
const REPOSITORIES = ["helium-backend", "helium-frontend"];
/** The seed's CI: `beta` deploys staging, `migrated-demo2` deploys production. */
const BRANCHES = { staging: "beta", production: "migrated-demo2" } as const;
const ENVIRONMENTS = Object.keys(BRANCHES) as Array<keyof typeof BRANCHES>;
const OIDC_HOST = "token.actions.githubusercontent.com";

describe("shared stack (whole program under mocks, Pulumi.shared.yaml)", function () {
  this.timeout(180_000);
  let shared: StackEvaluation;
  let ofType: (type: string) => RecordedResource[];
  let one: (type: string, name: string) => RecordedResource;
  let account: string;

  before(async () => {
    shared = await evaluateStack("shared");
    ofType = (type) => shared.resources.filter((r) => r.type === type);
    one = (type, name) => {
      const found = ofType(type).filter((r) => r.name === name);
      assert.equal(found.length, 1, `one ${type} named ${name}`);
      return found[0];
    };
    account = String(shared.outputs.registryId);
  });

  /** The deploy role of an environment and everything attached to it. */
  function deployRole(environment: string) {
    const roles = ofType("aws:iam/role:Role").filter((r) => r.inputs.name === `helium-deploy-${environment}`);
    assert.equal(roles.length, 1, `one helium-deploy-${environment} role`);
    const role = roles[0];
    const attachedArns = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.inputs.role === role.outputs.name)
      .map((a) => a.inputs.policyArn);
    const managed = ofType("aws:iam/policy:Policy").filter((p) => attachedArns.includes(p.outputs.arn));
    assert.equal(managed.length, attachedArns.length, "every attached policy is one of this stack's managed policies");
    const inline = ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.outputs.name);
    return { role, managed, inline, statements: [...managed, ...inline].flatMap((p) => statementsOf(p.inputs.policy)) };
  }

  it("registers the seed's environments by default (helium:environments): branch, image pushes, address lane", () => {
    const parsed = parseStackConfig({ stack: "shared", config: STACK_FILE });
    assert.ok(parsed.role === "shared");
    assert.deepEqual(parsed.config.environments, {
      staging: { branch: BRANCHES.staging, pushImages: true, addressLane: 10 },
      production: { branch: BRANCHES.production, pushImages: false, addressLane: 0 },
    });
  });

  it("creates the protected, global hosted zone of the configured domain", () => {
    const zones = ofType("aws:route53/zone:Zone");
    assert.equal(zones.length, 1);
    assert.equal(zones[0].inputs.name, DOMAIN);
    assert.equal(DOMAIN, "he2.site");
    assert.equal(zones[0].protect, true, "deleting the zone would take the domain offline");
    assert.equal(zones[0].region, null, "Route 53 is global");
    assert.equal(zones[0].inputs.forceDestroy, false);
  });

  it("declares helium-backend and helium-frontend in every image region: immutable, scanned on push, KMS-encrypted, protected", () => {
    const repositories = ofType("aws:ecr/repository:Repository");
    assert.equal(repositories.length, REPOSITORIES.length * IMAGE_REGIONS.length);
    for (const name of REPOSITORIES) {
      const regions = repositories
        .filter((r) => r.inputs.name === name)
        .map((r) => r.region)
        .sort();
      assert.deepEqual(regions, [...IMAGE_REGIONS].sort(), `${name} in every image region`);
    }
    for (const r of repositories) {
      assert.equal(r.inputs.region, r.region, `${r.name} names its region`);
      assert.equal(r.inputs.imageTagMutability, "IMMUTABLE", r.name);
      assert.deepEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true }, r.name);
      assert.deepEqual(r.inputs.encryptionConfigurations, [{ encryptionType: "KMS" }], r.name);
      assert.equal(r.protect, true, r.name);
    }
    assert.deepEqual([...IMAGE_REGIONS].sort(), ["ap-south-1", "ap-southeast-1", "us-east-1"]);
  });

  it("gives each repository in each region a lifecycle policy keeping the last 30 images", () => {
    const policies = ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy");
    assert.equal(policies.length, REPOSITORIES.length * IMAGE_REGIONS.length);
    for (const name of REPOSITORIES) {
      for (const region of IMAGE_REGIONS) {
        const matching = policies.filter((p) => p.inputs.repository === name && p.region === region);
        assert.equal(matching.length, 1, `${name} in ${region}`);
        const { rules } = JSON.parse(String(matching[0].inputs.policy)) as {
          rules: Array<{ selection: Record<string, unknown>; action: { type: string } }>;
        };
        assert.equal(rules.length, 1);
        assert.deepEqual(rules[0].selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 });
        assert.deepEqual(rules[0].action, { type: "expire" });
      }
    }
  });

  it("replicates both repositories from the home region to the other image regions with one registry replication rule", () => {
    const configurations = ofType("aws:ecr/replicationConfiguration:ReplicationConfiguration");
    assert.equal(configurations.length, 1);
    const [replication] = configurations;
    assert.equal(replication.region, HOME_REGION);
    assert.equal(HOME_REGION, "ap-south-1");
    const { rules } = replication.inputs.replicationConfiguration as {
      rules: Array<{
        destinations: Array<{ region: string; registryId: string }>;
        repositoryFilters: Array<{ filter: string; filterType: string }>;
      }>;
    };
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].destinations.map((d) => d.region).sort(), ["ap-southeast-1", "us-east-1"]);
    for (const destination of rules[0].destinations)
      assert.equal(destination.registryId, account, "replicas stay in this account");
    assert.deepEqual(rules[0].repositoryFilters.map((f) => f.filter).sort(), REPOSITORIES);
    for (const filter of rules[0].repositoryFilters) assert.equal(filter.filterType, "PREFIX_MATCH");
  });

  it("registers the GitHub Actions OIDC provider for audience sts.amazonaws.com", () => {
    const providers = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    assert.equal(providers.length, 1);
    assert.equal(providers[0].inputs.url, `https://${OIDC_HOST}`);
    assert.deepEqual(providers[0].inputs.clientIdLists, ["sts.amazonaws.com"]);
    assert.equal(providers[0].region, null);
  });

  for (const environment of ENVIRONMENTS) {
    it(`helium-deploy-${environment} trusts only the OIDC provider, audience sts.amazonaws.com and branch ${BRANCHES[environment]}`, () => {
      const { role } = deployRole(environment);
      const provider = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0];
      const trust = statementsOf(role.inputs.assumeRolePolicy);
      assert.equal(trust.length, 1, "a single trust statement");
      assert.equal(trust[0].Effect, "Allow");
      assert.deepEqual(trust[0].Principal, { Federated: provider.outputs.arn });
      assert.equal(trust[0].Action, "sts:AssumeRoleWithWebIdentity");
      assert.deepEqual(
        trust[0].Condition,
        {
          StringEquals: {
            [`${OIDC_HOST}:aud`]: "sts.amazonaws.com",
            [`${OIDC_HOST}:sub`]: `repo:${GITHUB_REPOSITORY}:ref:refs/heads/${BRANCHES[environment]}`,
          },
        },
        "exact match only: no StringLike wildcard on the subject",
      );
      assert.equal(GITHUB_REPOSITORY, "helium-app/helium");
    });

    it(`helium-deploy-${environment}'s managed policies each stay under IAM's 6,144 characters (whitespace excluded)`, () => {
      const { managed } = deployRole(environment);
      assert.ok(managed.length >= 2, "the permissions are split across several managed policies");
      for (const policy of managed) {
        const counted = String(policy.inputs.policy).replace(/\s/g, "").length;
        assert.ok(counted <= 6144, `${String(policy.inputs.name)}: ${counted} characters`);
        assert.ok(counted > 0);
      }
    });

    it(`helium-deploy-${environment} passes and manages only roles under /helium/${environment}/`, () => {
      const { statements, managed, inline } = deployRole(environment);
      const other = ENVIRONMENTS.find((e) => e !== environment) as string;
      const iamStatements = statements.filter((s) => asList(s.Action).some((a) => a.startsWith("iam:")));
      assert.ok(
        iamStatements.some((s) => asList(s.Action).includes("iam:PassRole")),
        "the role can pass its environment's roles",
      );
      assert.ok(
        iamStatements.some((s) => asList(s.Action).includes("iam:CreateRole")),
        "the role can create its environment's roles",
      );
      for (const s of iamStatements) {
        assert.deepEqual(
          asList(s.Resource),
          [`arn:aws:iam::${account}:role/helium/${environment}/*`],
          `${s.Sid}: only /helium/${environment}/ roles`,
        );
      }
      for (const policy of [...managed, ...inline]) {
        assert.ok(
          !String(policy.inputs.policy).includes(`/helium/${other}/`),
          `${policy.name} never names /helium/${other}/`,
        );
      }
    });
  }

  it("only the staging deploy role may push images, and only to the home-region repositories", () => {
    const pushes = (statements: Statement[]) => statements.filter((s) => asList(s.Action).includes("ecr:PutImage"));
    const staging = pushes(deployRole("staging").statements);
    assert.equal(staging.length, 1);
    const repositories = shared.outputs.repositories as Record<string, { arns: Record<string, string> }>;
    const homeArns = REPOSITORIES.map((name) => repositories[name].arns[HOME_REGION]);
    assert.deepEqual(asList(staging[0].Resource).sort(), homeArns.sort());
    const recordedHome = ofType("aws:ecr/repository:Repository")
      .filter((r) => r.region === HOME_REGION)
      .map((r) => r.outputs.arn);
    assert.deepEqual(
      asList(staging[0].Resource).sort(),
      (recordedHome as string[]).sort(),
      "the ARNs of the recorded home-region repositories",
    );
    assert.deepEqual(
      pushes(deployRole("production").statements),
      [],
      "production deploys promoted images, it never pushes",
    );
    const everyStatement = ofType("aws:iam/policy:Policy")
      .concat(ofType("aws:iam/rolePolicy:RolePolicy"))
      .flatMap((p) => statementsOf(p.inputs.policy));
    assert.equal(pushes(everyStatement).length, 1, "no other policy in the stack grants ecr:PutImage");
  });

  it("the preview role trusts pull requests of the repository and may only call sts:GetCallerIdentity", () => {
    const roles = ofType("aws:iam/role:Role").filter((r) => r.inputs.name === "helium-preview");
    assert.equal(roles.length, 1);
    const [role] = roles;
    const provider = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0];
    const trust = statementsOf(role.inputs.assumeRolePolicy);
    assert.equal(trust.length, 1);
    assert.deepEqual(trust[0].Principal, { Federated: provider.outputs.arn });
    assert.deepEqual(trust[0].Condition, {
      StringEquals: {
        [`${OIDC_HOST}:aud`]: "sts.amazonaws.com",
        [`${OIDC_HOST}:sub`]: `repo:${GITHUB_REPOSITORY}:pull_request`,
      },
    });
    const attachments = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
      (a) => a.inputs.role === role.outputs.name,
    );
    assert.deepEqual(attachments, [], "no managed policy");
    const inline = ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.outputs.name);
    assert.equal(inline.length, 1);
    const actions = statementsOf(inline[0].inputs.policy).flatMap((s) => asList(s.Action));
    assert.deepEqual(actions, ["sts:GetCallerIdentity"]);
    assert.equal(shared.outputs.previewRoleArn, role.outputs.arn);
  });

  it("exports what the environments read, equal to the recorded resources", () => {
    const out = shared.outputs;
    for (const key of [
      "domain",
      "hostedZoneId",
      "imageRegions",
      "registryId",
      "repositories",
      "deployRoleArns",
      "previewRoleArn",
    ]) {
      assert.ok(out[key] !== undefined && out[key] !== null, `output ${key}`);
    }
    assert.equal(out.domain, DOMAIN);
    assert.equal(out.hostedZoneId, ofType("aws:route53/zone:Zone")[0].outputs.zoneId);
    assert.deepEqual(out.imageRegions, IMAGE_REGIONS);
    assert.match(String(out.registryId), /^\d{12}$/);
    const repositories = out.repositories as Record<
      string,
      { name: string; arns: Record<string, string>; url: string }
    >;
    assert.deepEqual(Object.keys(repositories).sort(), REPOSITORIES);
    for (const name of REPOSITORIES) {
      assert.equal(repositories[name].name, name);
      for (const region of IMAGE_REGIONS) {
        const recorded = ofType("aws:ecr/repository:Repository").find(
          (r) => r.inputs.name === name && r.region === region,
        );
        assert.equal(repositories[name].arns[region], recorded?.outputs.arn, `${name} ARN in ${region}`);
      }
      assert.equal(repositories[name].url, `${String(out.registryId)}.dkr.ecr.${HOME_REGION}.amazonaws.com/${name}`);
    }
    assert.deepEqual(
      out.deployRoleArns,
      Object.fromEntries(ENVIRONMENTS.map((e) => [e, one("aws:iam/role:Role", `deploy-${e}`).outputs.arn])),
    );
    assert.deepEqual(out.environments, { staging: { addressLane: 10 }, production: { addressLane: 0 } });
  });

  it("exports every output an environment reads, in the shape its references step accepts", () => {
    assert.deepEqual(sharedOutputProblems("shared", "helium:sharedStack", shared.outputs).problems, []);
  });

  // The in-process tests read tests/fixtures/models.ts SHARED_OUTPUTS instead of evaluating this stack: it must
  // agree with what this stack really exports (the zone id aside, and the fixture's extra `dev` registration).
  it("agrees with the SHARED_OUTPUTS fixture the in-process tests use", () => {
    const out = shared.outputs as Record<string, unknown> & {
      repositories: Record<string, { arns: Record<string, string> }>;
      environments: Record<string, { addressLane: number }>;
    };
    assert.equal(out.domain, SHARED_OUTPUTS.domain);
    assert.deepEqual(out.imageRegions, SHARED_OUTPUTS.imageRegions);
    assert.equal(out.registryId, SHARED_OUTPUTS.registryId);
    assert.deepEqual(
      Object.fromEntries(Object.entries(out.repositories).map(([name, r]) => [name, { arns: r.arns }])),
      SHARED_OUTPUTS.repositories,
    );
    for (const [name, environment] of Object.entries(out.environments))
      assert.deepEqual(SHARED_OUTPUTS.environments[name], environment, name);
  });
});
