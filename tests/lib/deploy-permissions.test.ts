import * as assert from "node:assert/strict";
import {
  DEPLOY_POLICY_GROUPS,
  type DeployScope,
  MANAGED_POLICY_MAX_CHARACTERS,
  deployPolicyStatements,
  imagePushStatements,
  policySize,
} from "../../lib/deploy-permissions";
import * as scoped from "../../lib/deploy-permissions-scope";
import type { PolicyStatement } from "../../lib/iam";
import * as naming from "../../lib/naming";
import { KNOWN_REGION_CODES, regionInfo } from "../../lib/regions";
import { arnMatches } from "./deploy-permissions-checker";

/** Three regions with the longest names AWS has, so the size check holds for any three. */
const SCOPE: DeployScope = {
  environment: "production",
  account: "111122223333",
  regions: ["ap-southeast-1", "ap-northeast-1", "ap-southeast-2"],
  hostedZoneId: "Z0123456789ABCDEFGHIJKLMNOPQRSTU",
};
const GROUPS = deployPolicyStatements(SCOPE);
const ALL = Object.values(GROUPS).flat();
const statementsOf = (scope: DeployScope) => Object.values(deployPolicyStatements(scope)).flat();

const listOf = (value: PolicyStatement["Action"] | PolicyStatement["Resource"]): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
const actionsOf = (s: PolicyStatement): string[] => listOf(s.Action).map(String);
const resourcesOf = (s: PolicyStatement): string[] => listOf(s.Resource).map(String);
/** `{ operator: { key: values } }` flattened to `key → values` (keys as written). */
const conditionsOf = (s: PolicyStatement): Map<string, { operator: string; values: string[] }> =>
  new Map(
    Object.entries(s.Condition ?? {}).flatMap(([operator, block]) =>
      Object.entries(block).map(([key, value]) => [key, { operator, values: listOf(value).map(String) }] as const),
    ),
  );
/** The convention: a statement on `*` says in its Sid that its actions have no resource scope. */
const SAYS_NO_RESOURCE_SCOPE = /(?:No|Without)ResourceScope$/;
const TAG_CONDITION = /^aws:(RequestTag|ResourceTag)\//;

interface Arn {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}
function parseArn(text: string): Arn {
  const match = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*|\*):(\d*):(.+)$/.exec(text);
  assert.ok(match, `not an ARN: ${text}`);
  return { service: match[1], region: match[2], account: match[3], resource: match[4] };
}

describe("deploy permissions", () => {
  describe("deployPolicyStatements", () => {
    it("groups statements by concern, one managed policy each, each with a unique Sid", () => {
      assert.deepEqual(Object.keys(GROUPS), [...DEPLOY_POLICY_GROUPS]);
      assert.ok(DEPLOY_POLICY_GROUPS.length <= 10, "IAM attaches at most 10 managed policies to a role by default");
      for (const [group, statements] of Object.entries(GROUPS))
        assert.ok(statements.length > 0, `${group} has statements`);
      const sids = ALL.map((s) => s.Sid);
      assert.ok(
        sids.every((sid) => typeof sid === "string" && /^[A-Za-z0-9]+$/.test(sid)),
        "every statement has an alphanumeric Sid",
      );
      assert.equal(new Set(sids).size, sids.length, "Sids are unique");
      assert.ok(ALL.every((s) => s.Effect === "Allow"));
    });

    it("grants no `*` or `service:*` action", () => {
      for (const s of ALL) {
        for (const action of actionsOf(s)) {
          assert.notEqual(action, "*", s.Sid);
          assert.doesNotMatch(action, /^[a-z0-9-]+:\*$/, `${s.Sid}: ${action}`);
          assert.match(action, /^[a-z0-9-]+:[A-Za-z]+$/, `${s.Sid}: ${action} names one action`);
        }
      }
    });

    it("uses `*` resources only in statements whose Sid says they have no resource scope, and never mixed with ARNs", () => {
      for (const s of ALL) {
        const resources = resourcesOf(s);
        assert.ok(resources.length > 0, `${s.Sid} names its resources`);
        if (resources.includes("*")) {
          assert.match(String(s.Sid), SAYS_NO_RESOURCE_SCOPE, `${s.Sid} is on *`);
          assert.deepEqual(resources, ["*"], `${s.Sid}`);
        } else {
          assert.doesNotMatch(
            String(s.Sid),
            SAYS_NO_RESOURCE_SCOPE,
            `${s.Sid} says no resource scope but names resources`,
          );
        }
      }
    });

    it("names only the given account; a regional ARN leaves the region to aws:RequestedRegion, which lists exactly the given regions", () => {
      for (const s of ALL) {
        const regional = resourcesOf(s)
          .filter((r) => r !== "*")
          .map(parseArn)
          .filter((arn) => arn.region !== "");
        for (const arn of regional) assert.equal(arn.region, "*", `${s.Sid}: region is set by the condition`);
        for (const arn of resourcesOf(s)
          .filter((r) => r !== "*")
          .map(parseArn)) {
          if (arn.account !== "") assert.equal(arn.account, SCOPE.account, `${s.Sid}: ${arn.resource}`);
          if (arn.service === "route53" && arn.resource.startsWith("hostedzone/"))
            assert.equal(arn.resource, `hostedzone/${SCOPE.hostedZoneId}`);
        }
        const requested = conditionsOf(s).get("aws:RequestedRegion");
        if (regional.length > 0) {
          assert.ok(requested, `${s.Sid} has regional ARNs, so it names the regions`);
          assert.equal(requested.operator, "StringEquals");
          assert.deepEqual(requested.values, [...SCOPE.regions], String(s.Sid));
        } else if (requested) {
          assert.deepEqual(requested.values, [...SCOPE.regions], String(s.Sid));
        }
      }
    });

    it("names each region's resources by that region's short code, for every given region", () => {
      const named = ALL.flatMap(resourcesOf).join("\n");
      for (const region of SCOPE.regions) {
        const short = regionInfo(region).short;
        assert.ok(named.includes(`:helium-work-${short}`), `queue of ${region}`);
        assert.ok(named.includes(`:::helium-files-${short}`), `files bucket of ${region}`);
        assert.ok(named.includes(`cluster/${naming.clusterName("production", region)}`), `cluster of ${region}`);
      }
    });

    it("scopes by tags only with this environment's default tags (Project=helium, Environment=<env>)", () => {
      let tagged = 0;
      for (const s of ALL) {
        for (const [key, { operator, values }] of conditionsOf(s)) {
          if (!TAG_CONDITION.test(key)) continue;
          tagged += 1;
          if (operator === "Null") {
            assert.deepEqual([key, values], ["aws:ResourceTag/Environment", ["true"]], String(s.Sid));
            continue;
          }
          assert.equal(operator, "StringEquals", String(s.Sid));
          const expected = key.endsWith("/Project") ? "helium" : SCOPE.environment;
          assert.match(key, /\/(Project|Environment)$/, String(s.Sid));
          assert.deepEqual(values, [expected], `${s.Sid}: ${key}`);
        }
      }
      assert.ok(tagged > 0);
    });

    it("never lets a tagging action move another environment's resource to this one", () => {
      // Tagging is guarded by the resource's own tags, by its being untagged (Null), by being part of a
      // create call (CreateAction), or by a fixed name.
      const tagging = /:(CreateTags|AddTags|AddTagsToCertificate|TagResource)$/;
      for (const s of ALL.filter((st) => actionsOf(st).some((a) => tagging.test(a)))) {
        const keys = conditionsOf(s);
        const guarded =
          keys.get("aws:ResourceTag/Environment")?.values[0] === SCOPE.environment ||
          keys.get("aws:ResourceTag/Environment")?.operator === "Null" ||
          keys.has("ec2:CreateAction") ||
          keys.has("elasticloadbalancing:CreateAction") ||
          ![...keys.keys()].some((k) => TAG_CONDITION.test(k));
        assert.ok(guarded, `${s.Sid} could re-tag another environment's resource`);
      }
    });

    it("lets the role manage and pass only roles under its own environment's IAM path", () => {
      const iamStatements = ALL.filter((s) => actionsOf(s).some((a) => a.startsWith("iam:")));
      assert.ok(iamStatements.length > 0);
      for (const s of iamStatements) {
        assert.deepEqual(
          resourcesOf(s),
          [`arn:aws:iam::${SCOPE.account}:role${naming.iamRolePath("production")}*`],
          String(s.Sid),
        );
      }
      const staging = statementsOf({ ...SCOPE, environment: "staging" });
      assert.ok(
        !JSON.stringify(staging).includes(naming.iamRolePath("production")),
        "staging's role cannot touch production roles",
      );
    });

    describe("environments are data", () => {
      const ENVIRONMENTS = ["staging", "production", "qa"];
      /** One ARN of each fixed-name resource kind of `env` in `region` (names as lib/naming.ts builds them). */
      const namedArns = (env: string, region: string, account: string): string[] => {
        const name = (thing: string) => scoped.regionalName(env, region, thing);
        return [
          `arn:aws:sqs:${region}:${account}:${name("work")}`,
          `arn:aws:sqs:${region}:${account}:${name("work-dlq")}`,
          `arn:aws:elasticache:${region}:${account}:replicationgroup:${name("redis")}`,
          `arn:aws:elasticache:${region}:${account}:subnetgroup:${name("redis-subnets")}`,
          `arn:aws:s3:::${name("files")}`,
          `arn:aws:s3:::${name("alb-logs")}`,
          `arn:aws:secretsmanager:${region}:${account}:secret:helium/backend/${env}-AbCdEf`,
          `arn:aws:logs:${region}:${account}:log-group:/helium/${env}/backend`,
          `arn:aws:ecs:${region}:${account}:cluster/${scoped.clusterName(env, region)}`,
          `arn:aws:ecs:${region}:${account}:service/${scoped.clusterName(env, region)}/helium-backend-service`,
          `arn:aws:kms:${region}:${account}:alias/${name("key")}`,
          `arn:aws:sns:${region}:${account}:${name("alerts")}`,
          `arn:aws:xray:${region}:${account}:sampling-rule/helium-${env}`,
          `arn:aws:cloudwatch::${account}:dashboard/helium-${env}`,
          `arn:aws:iam::${account}:role/helium/${env}/helium-backend-task`,
        ];
      };

      it("mirrors lib/naming.ts for its environments, in every known region", () => {
        // Typed by lib/naming.ts, whichever environments it accepts.
        const named: naming.Environment[] = ["staging", "production"];
        for (const env of named) {
          assert.equal(scoped.nameInfix(env), naming.environmentInfix(env));
          assert.equal(scoped.environmentPath(env), naming.iamRolePath(env));
          for (const region of KNOWN_REGION_CODES) {
            for (const thing of ["files", "alb-logs", "work", "work-dlq", "redis", "redis-subnets", "key", "alerts"])
              assert.equal(scoped.regionalName(env, region, thing), naming.regionalName(env, region, thing));
            assert.equal(scoped.clusterName(env, region), naming.clusterName(env, region));
          }
        }
      });

      it("grants each environment its own named resources in each of its regions", () => {
        for (const env of ENVIRONMENTS) {
          const statements = statementsOf({ ...SCOPE, environment: env });
          for (const region of SCOPE.regions) {
            for (const arn of namedArns(env, region, SCOPE.account)) {
              assert.ok(
                statements.some((s) => resourcesOf(s).some((pattern) => arnMatches(pattern, arn))),
                `${env} can manage ${arn}`,
              );
            }
          }
        }
      });

      it("grants no environment another's named resources, except production's alarm names (bare names)", () => {
        for (const env of ENVIRONMENTS) {
          // Tag-scoped statements reach only resources tagged for env, whatever their ARN.
          const byName = statementsOf({ ...SCOPE, environment: env }).filter(
            (s) => ![...conditionsOf(s).keys()].some((k) => TAG_CONDITION.test(k)),
          );
          for (const other of ENVIRONMENTS.filter((e) => e !== env)) {
            for (const region of SCOPE.regions) {
              const arns = [
                ...namedArns(other, region, SCOPE.account),
                `arn:aws:cloudwatch:${region}:${SCOPE.account}:alarm:${scoped.regionalName(other, region, "backend-cpu-high")}`,
              ];
              for (const arn of arns) {
                const granting = byName.filter((s) => resourcesOf(s).some((p) => p !== "*" && arnMatches(p, arn)));
                // helium-*-<short> cannot exclude helium-*-<env>-<short>: a known overlap of production's
                // bare alarm names (lib/alarms.ts), to be closed by naming or tags.
                const knownOverlap = env === "production" && arn.includes(":alarm:");
                assert.deepEqual(
                  granting.map((s) => s.Sid),
                  knownOverlap ? ["AlarmsAndDashboardByName"] : [],
                  `${env} reaches ${other}'s ${arn}`,
                );
              }
            }
          }
        }
      });
    });

    it("keeps every group under IAM's managed-policy size limit for three regions and a long environment name", () => {
      for (const environment of ["production", "staging", "preview-0123456789"]) {
        for (const [group, statements] of Object.entries(deployPolicyStatements({ ...SCOPE, environment }))) {
          const size = policySize(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
          assert.ok(
            size <= MANAGED_POLICY_MAX_CHARACTERS,
            `${environment}/${group}: ${size} characters, limit ${MANAGED_POLICY_MAX_CHARACTERS}`,
          );
        }
      }
    });
  });

  describe("policySize", () => {
    it("counts characters the way IAM does, without whitespace", () => {
      const compact = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
      });
      const pretty = JSON.stringify(JSON.parse(compact), null, 2);
      assert.equal(policySize(pretty), compact.length);
      assert.equal(policySize(compact), compact.length);
    });
  });

  describe("imagePushStatements", () => {
    const repositories = [
      "arn:aws:ecr:ap-south-1:111122223333:repository/helium-backend",
      "arn:aws:ecr:ap-south-1:111122223333:repository/helium-frontend",
    ];
    const statements = imagePushStatements(repositories);
    const PUSH_ACTIONS = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"];

    it("grants the push actions on exactly the given repositories", () => {
      const pushing = statements.filter((s) => actionsOf(s).some((a) => PUSH_ACTIONS.includes(a)));
      assert.equal(pushing.length, 1);
      assert.deepEqual(resourcesOf(pushing[0]), repositories);
      for (const action of PUSH_ACTIONS) assert.ok(actionsOf(pushing[0]).includes(action), action);
    });

    it("allows only the registry login on `*`, the one ECR call without a resource scope", () => {
      const unscoped = statements.filter((s) => resourcesOf(s).includes("*"));
      assert.deepEqual(unscoped.map(actionsOf), [["ecr:GetAuthorizationToken"]]);
      assert.match(String(unscoped[0].Sid), SAYS_NO_RESOURCE_SCOPE);
    });

    it("grants nothing beyond ECR and no wildcard action", () => {
      for (const action of statements.flatMap(actionsOf)) {
        assert.match(action, /^ecr:[A-Za-z]+$/);
      }
    });
  });
});
