import * as assert from "node:assert/strict";
import {
  type DeployScope,
  MANAGED_POLICY_MAX_CHARACTERS,
  deployPolicyStatements,
  imagePushStatements,
  policySize,
} from "../../lib/deploy-permissions";
import type { PolicyStatement } from "../../lib/iam";
import { iamRolePath } from "../../lib/naming";

/** Three regions with the longest names AWS has, so the size check holds for any three. */
const SCOPE: DeployScope = {
  environment: "production",
  account: "111122223333",
  regions: ["ap-southeast-1", "ap-northeast-1", "ap-southeast-2"],
  hostedZoneId: "Z0123456789ABCDEFGHIJKLMNOPQRSTU",
};
const GROUPS = deployPolicyStatements(SCOPE);
const ALL = Object.values(GROUPS).flat();

const listOf = (value: PolicyStatement["Action"] | PolicyStatement["Resource"]): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
const actionsOf = (s: PolicyStatement): string[] => listOf(s.Action).map(String);
const resourcesOf = (s: PolicyStatement): string[] => listOf(s.Resource).map(String);
/** The convention: a statement on `*` says in its Sid that its actions have no resource scope. */
const SAYS_NO_RESOURCE_SCOPE = /(?:No|Without)ResourceScope$/;

interface Arn {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}
function parseArn(text: string): Arn {
  const match = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*):(\d*):(.+)$/.exec(text);
  assert.ok(match, `not an ARN: ${text}`);
  return { service: match[1], region: match[2], account: match[3], resource: match[4] };
}

describe("deploy permissions", () => {
  describe("deployPolicyStatements", () => {
    it("groups statements into network, compute, data, edge and observability, each with a unique Sid", () => {
      assert.deepEqual(Object.keys(GROUPS).sort(), ["compute", "data", "edge", "network", "observability"]);
      for (const [group, statements] of Object.entries(GROUPS))
        assert.ok(statements.length > 0, `${group} has statements`);
      const sids = ALL.map((s) => s.Sid);
      assert.ok(
        sids.every((sid) => typeof sid === "string" && sid.length > 0),
        "every statement has a Sid",
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

    it("names only the given account and regions in its ARNs, and every given region", () => {
      const regionsSeen = new Set<string>();
      for (const s of ALL) {
        for (const resource of resourcesOf(s).filter((r) => r !== "*")) {
          const arn = parseArn(resource);
          if (arn.region !== "") {
            assert.ok(
              SCOPE.regions.includes(arn.region),
              `${s.Sid}: ${resource} is outside ${SCOPE.regions.join(", ")}`,
            );
            regionsSeen.add(arn.region);
          }
          if (arn.account !== "") assert.equal(arn.account, SCOPE.account, `${s.Sid}: ${resource}`);
          if (arn.service === "route53" && arn.resource.startsWith("hostedzone/"))
            assert.equal(arn.resource, `hostedzone/${SCOPE.hostedZoneId}`);
        }
      }
      assert.deepEqual([...regionsSeen].sort(), [...SCOPE.regions].sort());
    });

    it("lets the role manage and pass only roles under its own environment's IAM path", () => {
      const iamStatements = ALL.filter((s) => actionsOf(s).some((a) => a.startsWith("iam:")));
      assert.ok(iamStatements.length > 0);
      for (const s of iamStatements) {
        assert.deepEqual(
          resourcesOf(s),
          [`arn:aws:iam::${SCOPE.account}:role${iamRolePath("production")}*`],
          String(s.Sid),
        );
      }
      const staging = Object.values(deployPolicyStatements({ ...SCOPE, environment: "staging" })).flat();
      assert.ok(
        !JSON.stringify(staging).includes(iamRolePath("production")),
        "staging's role cannot touch production roles",
      );
    });

    it("keeps every group under IAM's managed-policy size limit for three regions", () => {
      for (const [group, statements] of Object.entries(GROUPS)) {
        const size = policySize(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
        assert.ok(
          size <= MANAGED_POLICY_MAX_CHARACTERS,
          `${group}: ${size} characters, limit ${MANAGED_POLICY_MAX_CHARACTERS}`,
        );
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
