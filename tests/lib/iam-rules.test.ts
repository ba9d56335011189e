/**
 * The pack's IAM rules as the program applies them (lib/iam-rules.ts through lib/iam.ts): on statements
 * whose leaves may be Pulumi Outputs. An Output Resource is a specific ARN, "*" is a wildcard, an Output
 * principal cannot be shown to be an expected one. The checked builders throw one InputError naming each
 * statement, and honour the pack config's exemptions (policy-config.json) by the same names.
 */
import { recorder, settle } from "../harness/component";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  PACK_EXEMPTIONS,
  type PolicyStatement,
  permissionPolicy,
  permissionProblems,
  serviceTrustPolicy,
  trustPolicy,
  trustProblems,
} from "../../lib/iam";
import { IAM_RULES, OPAQUE, exemptionNames, ruleFindings, type RuleStatement } from "../../lib/iam-rules";
import { InputError } from "../../lib/input-error";
import { PROJECT_ROOT } from "../../offline/pulumi-yaml";

/** An ARN known only at deployment, as a component holds it. */
const arnOutput = (): pulumi.Output<string> => pulumi.output("arn:aws:s3:::files").apply((a) => a);
const ROLE_ARN = "arn:aws:iam::111122223333:role/helium/staging/task";
const OIDC = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const rules = (problems: ReadonlyArray<{ allowed: string }>) => problems.map((p) => p.allowed.split(":")[0]);

describe("IAM rules on statements as the program builds them (lib/iam-rules.ts, lib/iam.ts)", () => {
  describe("permission rules", () => {
    it("an Output resource is a specific ARN: scoped actions on it pass", () => {
      assert.deepEqual(
        permissionProblems("files", [
          { Sid: "Files", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: arnOutput() },
          { Sid: "Login", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        ]),
        [],
      );
    });

    it("a wildcard action fails whatever the resource, naming statement, Sid and rule", () => {
      const problems = permissionProblems("app-files", [
        { Sid: "Files", Effect: "Allow", Action: "s3:GetObject", Resource: arnOutput() },
        { Sid: "Everything", Effect: "Allow", Action: "s3:*", Resource: arnOutput() },
      ]);
      assert.deepEqual(
        problems.map((p) => [p.key, p.allowed]),
        [
          [
            "app-files.Statement[1] (Sid Everything)",
            "helium-iam-no-wildcard-actions: Allow grants wildcard action(s) s3:*; list the exact actions",
          ],
        ],
      );
      assert.deepEqual(problems[0].value, {
        Sid: "Everything",
        Effect: "Allow",
        Action: "s3:*",
        Resource: "<known at deployment>",
      });
    });

    it('"*" resources only for reviewed resource-less actions', () => {
      const problems = permissionProblems("p", [
        { Effect: "Allow", Action: ["s3:GetObject", "xray:PutTraceSegments"], Resource: "*" },
      ]);
      assert.deepEqual(rules(problems), ["helium-iam-no-wildcard-resources"]);
      assert.match(problems[0].allowed, /action\(s\) s3:GetObject that support resource-level permissions/);
      assert.equal(problems[0].key, "p.Statement[0]", "no Sid, no Sid in the key");
    });

    it("PassRole: an Output role ARN is named; a path wildcard or no PassedToService fails", () => {
      const passedTo = { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } };
      assert.deepEqual(
        permissionProblems("pass", [
          { Effect: "Allow", Action: "iam:PassRole", Resource: arnOutput(), Condition: passedTo },
        ]),
        [],
      );
      assert.deepEqual(
        permissionProblems("pass", [
          { Effect: "Allow", Action: "iam:PassRole", Resource: ROLE_ARN, Condition: passedTo },
        ]),
        [],
      );
      const problems = permissionProblems("pass", [
        { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/helium/staging/*" },
      ]);
      assert.deepEqual(
        problems.map((p) => p.allowed),
        [
          "helium-iam-passrole-scoped: iam:PassRole on arn:aws:iam::111122223333:role/helium/staging/*; name each role ARN",
          "helium-iam-passrole-scoped: iam:PassRole without an iam:PassedToService condition",
        ],
      );
    });

    it("Deny statements are not judged (a Deny never widens access)", () => {
      assert.deepEqual(permissionProblems("deny", [{ Effect: "Deny", Action: "*", Resource: "*" }]), []);
    });
  });

  describe("trust rules", () => {
    const oidcTrust = (sub: pulumi.Input<string>, federated: pulumi.Input<string> = OIDC): PolicyStatement => ({
      Effect: "Allow",
      Principal: { Federated: federated },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": sub,
        },
      },
    });

    it("pinned GitHub OIDC trust and reviewed service principals pass", () => {
      assert.deepEqual(trustProblems("deploy", [oidcTrust("repo:helium-app/helium:ref:refs/heads/beta")]), []);
      assert.deepEqual(trustProblems("deploy", [oidcTrust("repo:helium-app/helium:pull_request")]), []);
    });

    it("a wildcard subject, an Output federated principal, an unreviewed service fail", () => {
      assert.deepEqual(rules(trustProblems("loose", [oidcTrust("repo:helium-app/*")])), [
        "helium-iam-oidc-trust-pinned",
      ]);
      const opaque = trustProblems("opaque", [oidcTrust("repo:helium-app/helium:pull_request", arnOutput())]);
      assert.deepEqual(rules(opaque), ["helium-iam-trust-service-principals"]);
      assert.match(opaque[0].allowed, /unexpected Federated principal\(s\) \(a value known only at deployment\)/);
      assert.throws(
        () => serviceTrustPolicy("lambda.amazonaws.com"),
        (e: unknown) =>
          e instanceof InputError &&
          /trust-service-principals: trust policy names unexpected Service principal\(s\) lambda.amazonaws.com/.test(
            e.message,
          ),
      );
    });
  });

  describe("checked builders throw before the resource is registered", () => {
    beforeEach(() => recorder.reset());

    it("permissionPolicy: an InputError naming the document's owner and statement; nothing registered", async () => {
      let caught: unknown;
      try {
        new aws.iam.RolePolicy("app-files", {
          role: "app",
          policy: permissionPolicy("app-files", [{ Sid: "All", Effect: "Allow", Action: "*", Resource: arnOutput() }]),
        });
      } catch (error) {
        caught = error;
      }
      await settle();
      assert.ok(caught instanceof InputError && caught instanceof pulumi.RunError);
      assert.equal(caught.source, "IAM policy app-files");
      // "*" grants iam:PassRole too, so the PassRole rule speaks as well.
      assert.match(caught.message, /^Invalid input for IAM policy app-files \(2 problems\); nothing was created:/);
      assert.match(
        caught.message,
        /app-files\.Statement\[0\] \(Sid All\): .* — allowed: helium-iam-no-wildcard-actions/,
      );
      assert.match(
        caught.message,
        /— allowed: helium-iam-passrole-scoped: iam:PassRole without an iam:PassedToService/,
      );
      assert.equal(recorder.resources.length, 0);
    });

    it("trustPolicy: the same for a role's trust", async () => {
      assert.throws(
        () => trustPolicy("anyone", [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }]),
        (e: unknown) => e instanceof InputError && e.source === "IAM trust policy anyone",
      );
      await settle();
      assert.equal(recorder.resources.length, 0);
    });
  });

  describe("exemptions: the pack config's, by the same names", () => {
    const deployPassRole: PolicyStatement = {
      Sid: "PassOnlyThisEnvironmentsRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::111122223333:role/helium/dev/*",
      Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com"] } },
    };

    it("are read from policy-config.json, the file the pack is given", () => {
      const file = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policy-config.json"), "utf8")) as Record<
        string,
        { exemptions?: Array<{ resource: string; reason: string }> }
      >;
      const expected = Object.entries(file).flatMap(([rule, s]) =>
        (s.exemptions ?? []).map((e) => ({ rule, resource: e.resource, reason: e.reason })),
      );
      assert.ok(expected.length > 0);
      assert.deepEqual(PACK_EXEMPTIONS, expected);
    });

    it("exempt one rule for the resources they name (patterns with *), and nothing else", () => {
      assert.deepEqual(permissionProblems("deploy-dev-compute", [deployPassRole]), [], "deploy-*-compute");
      assert.deepEqual(
        rules(permissionProblems("deploy-dev-compute", [deployPassRole], [])),
        ["helium-iam-passrole-scoped"],
        "without the exemption",
      );
      assert.deepEqual(rules(permissionProblems("deploy-dev-data", [deployPassRole])), ["helium-iam-passrole-scoped"]);
      const withWildcard = { ...deployPassRole, Action: ["iam:PassRole", "iam:*"] };
      assert.deepEqual(
        rules(permissionProblems("deploy-dev-compute", [withWildcard])),
        ["helium-iam-no-wildcard-actions"],
        "other rules still apply to an exempted document",
      );
    });

    it("patterns: * is any characters, everything else literal", () => {
      assert.ok(exemptionNames("deploy-*-compute", "deploy-staging-compute"));
      assert.ok(!exemptionNames("deploy-*-compute", "deploy-staging-compute-2"));
      assert.ok(!exemptionNames("deploy.staging", "deployXstaging"));
      assert.ok(exemptionNames("deploy-staging-compute", "deploy-staging-compute"));
    });
  });

  it("the rules read rule data: OPAQUE leaves, lists; the pack parses JSON into the same shape", () => {
    const statement: RuleStatement = {
      effect: "Allow",
      actions: ["iam:PassRole"],
      notActions: [],
      resources: [OPAQUE],
      notResources: [],
      principals: {},
      conditions: { StringLike: { "iam:PassedToService": ["ecs-tasks.amazonaws.com"] } },
    };
    assert.deepEqual(ruleFindings(IAM_RULES.passRoleScoped, [statement]), []);
    assert.deepEqual(
      ruleFindings(IAM_RULES.noWildcardResources, [{ ...statement, notResources: [OPAQUE] }]).map((f) => f.message),
      ["Allow with NotResource grants every other resource; name the resources"],
    );
  });
});
