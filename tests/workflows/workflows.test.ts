/**
 * The GitHub Actions workflows, parsed and checked: policy pack on every preview/up, OIDC only (no
 * static keys), branch → stack mapping, concurrency, approval, images built once for ARM64, and no
 * ECS pokes outside Pulumi. Every check is also fed bad documents (the seed's pipeline and one-line
 * mutations of our own workflows) to prove it can fail.
 */
import assert from "node:assert/strict";
import { parseStackConfig } from "../../config/stack";
import { githubBranchSubject } from "../../stacks/shared";
import { readStackFile } from "../../offline/pulumi-yaml";
import {
  BRANCH_STACKS,
  actionPinViolations,
  approvalViolations,
  awsRoleJobs,
  branchStackViolations,
  deployConcurrencyViolations,
  deployedStacks,
  ecsPokeViolations,
  imageBuildViolations,
  imageBuilds,
  loadWorkflows,
  parseWorkflow,
  permissionViolations,
  policyPackViolations,
  pullRequestConcurrencyViolations,
  pulumiInvocations,
  pushBranches,
  roleAssumptions,
  shortStack,
  smokeCheckViolations,
  stackExistenceViolations,
  staticKeyViolations,
  testsBeforeDeployViolations,
  type Workflow,
} from "./workflow-checks";
import { UNIVERSAL_CHECKS, workflowText as text, workflowVariant as variant } from "./workflow-fixtures";

const FILES = ["deploy-production.yml", "deploy-staging.yml", "pull-request.yml"];
const workflow = (file: string): Workflow => parseWorkflow(text(file), file);

/** The seed's CI/CD pipeline (section 8), condensed: static keys, three pushes, aws-cli task-def deploys. */
const SEED_PIPELINE = `
name: CICD
on:
  push:
    branches: [beta, migrated-demo2]
  workflow_dispatch:
env:
  IMAGE_TAG: v\${{ github.run_number }}
  ECR_REPO: helium-backend
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        region: [ap-south-1, ap-southeast-1, us-east-1]
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
      - uses: aws-actions/configure-aws-credentials@v3
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: \${{ matrix.region }}
      - id: login
        uses: aws-actions/amazon-ecr-login@v2
      - run: |
          IMAGE_URI=\${{ steps.login.outputs.registry }}/\${{ env.ECR_REPO }}:\${{ env.IMAGE_TAG }}
          docker buildx build \\
            --platform linux/arm64 \\
            -t $IMAGE_URI \\
            --push \\
            -f backend/Dockerfile backend
  deploy-staging:
    runs-on: ubuntu-latest
    needs: build
    if: github.ref_name == 'beta'
    steps:
      - uses: aws-actions/configure-aws-credentials@v3
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: ap-south-1
      - run: aws ecs describe-task-definition --task-definition helium-backend-staging --query taskDefinition > task.json
      - id: render
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: task.json
      - uses: aws-actions/amazon-ecs-deploy-task-definition@v1
        with:
          task-definition: \${{ steps.render.outputs.task-definition }}
`;

describe("GitHub Actions workflows", () => {
  const all = loadWorkflows();

  it("are exactly the pull-request, deploy-staging and deploy-production workflows, each parseable", () => {
    assert.deepEqual(
      all.map((w) => w.file),
      FILES,
    );
    for (const { workflow: wf } of all) assert.ok(Object.keys(wf.jobs).length > 0);
  });

  for (const file of FILES) {
    describe(file, () => {
      for (const [name, check] of Object.entries(UNIVERSAL_CHECKS)) {
        it(`passes ${name}`, () => assert.deepEqual(check(workflow(file)), []));
      }
    });
  }

  describe("across workflows", () => {
    it("each deploy branch has exactly one workflow, deploying exactly its stack (beta → staging, migrated-demo2 → production)", () => {
      const deploys = all
        .filter((w) => deployedStacks(w.workflow).length > 0)
        .map((w) => ({ branches: pushBranches(w.workflow).branches, stacks: deployedStacks(w.workflow) }))
        .sort((a, b) => a.branches.join().localeCompare(b.branches.join()));
      assert.deepEqual(deploys, [
        { branches: ["beta"], stacks: ["staging"] },
        { branches: ["migrated-demo2"], stacks: ["production"] },
      ]);
    });

    it("no workflow deploys shared (an operator applies it once; CI only previews it)", () => {
      for (const { workflow: wf } of all) assert.ok(!deployedStacks(wf).includes("shared"));
    });

    it("every job that assumes an AWS role does so through OIDC role-to-assume and has id-token: write", () => {
      let roleJobs = 0;
      for (const { workflow: wf } of all) {
        for (const id of awsRoleJobs(wf)) {
          roleJobs += 1;
          const perms = wf.jobs[id].permissions;
          assert.ok(typeof perms === "object" && perms["id-token"] === "write", `${id} lacks id-token: write`);
          const step = wf.jobs[id].steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
          assert.match(
            String(step?.with?.["role-to-assume"]),
            /^\$\{\{ vars\.AWS_[A-Z_]+_ROLE_ARN \}\}$/,
            "role ARN comes from a GitHub variable",
          );
        }
      }
      assert.equal(roleJobs, 4, "preview, images, staging deploy and production deploy assume roles");
    });
  });

  describe("OIDC subjects against the shared stack's deploy-role trust", () => {
    const shared = parseStackConfig({ stack: "shared", config: readStackFile("shared").config });
    assert.ok(shared.role === "shared");
    const { repository } = shared.config.github;
    // The environment registry (helium:environments): each environment's deploy branch.
    const environments = shared.config.environments;
    /** Role variable → the subject its role trusts (stacks/shared.ts, Pulumi.shared.yaml). */
    const trusted = (role: string): string | undefined => {
      const m = /vars\.AWS_([A-Z]+)_DEPLOY_ROLE_ARN/.exec(role);
      const environment = m ? environments[m[1].toLowerCase()] : undefined;
      return environment ? githubBranchSubject(repository, environment.branch) : undefined;
    };

    it("every deploy job requests exactly the subject its role trusts (repo + branch)", () => {
      const checked = all
        .flatMap(({ workflow: wf }) => roleAssumptions(wf, repository))
        .filter((a) => a.role.includes("_DEPLOY_ROLE_ARN"));
      assert.deepEqual(checked.map((a) => a.jobId).sort(), ["deploy", "deploy", "images"]);
      for (const a of checked) assert.deepEqual(a.subjects, [trusted(a.role)], `${a.jobId} (${a.role})`);
    });

    it("the workflows' branch → stack map is the shared stack's environment registry (helium:environments)", () => {
      assert.deepEqual(
        BRANCH_STACKS,
        Object.fromEntries(Object.entries(environments).map(([name, environment]) => [environment.branch, name])),
      );
    });

    it("the images job assumes the deploy role of the one environment whose pipeline may push images", () => {
      const images = all
        .flatMap(({ workflow: wf }) => roleAssumptions(wf, repository))
        .filter((a) => a.jobId === "images");
      assert.equal(images.length, 1);
      const m = /vars\.AWS_([A-Z]+)_DEPLOY_ROLE_ARN/.exec(images[0].role);
      assert.ok(m, images[0].role);
      assert.deepEqual(
        Object.entries(environments)
          .filter(([, environment]) => environment.pushImages)
          .map(([name]) => name),
        [m[1].toLowerCase()],
      );
    });

    it("the preview role is assumed with the pull_request subject (the trust the preview role needs)", () => {
      assert.deepEqual(roleAssumptions(workflow("pull-request.yml"), repository), [
        { jobId: "preview", role: "${{ vars.AWS_PREVIEW_ROLE_ARN }}", subjects: [`repo:${repository}:pull_request`] },
      ]);
    });

    it("fails when the deploy job itself names the environment: its subject becomes environment:production", () => {
      const moved = variant(
        "deploy-production.yml",
        "    needs: approve\n",
        "    needs: approve\n    environment: production\n",
      );
      const deploy = roleAssumptions(moved, repository).find((a) => a.jobId === "deploy")!;
      assert.deepEqual(deploy.subjects, [`repo:${repository}:environment:production`]);
      assert.notDeepEqual(deploy.subjects, [trusted(deploy.role)]);
    });
  });

  describe("pull-request.yml", () => {
    const wf = workflow("pull-request.yml");

    it("runs on pull_request only, and type-checks and tests with npm ci + npm test before previewing", () => {
      assert.deepEqual(Object.keys(wf.on as object), ["pull_request"]);
      const runs = wf.jobs["test"].steps!.map((s) => s.run?.trim());
      assert.ok(runs.indexOf("npm ci") >= 0 && runs.indexOf("npm ci") < runs.indexOf("npm test"));
      assert.ok(
        runs.some((r) => r?.includes('npm run plan -- "$stack"')),
        "offline plans run",
      );
      assert.equal(wf.jobs["preview"].needs, "test");
    });

    it("previews shared, staging and production with the policy pack, commented on the PR, and updates nothing", () => {
      const previews = pulumiInvocations(wf).filter((p) => p.command === "preview");
      assert.deepEqual(previews.flatMap((p) => p.stacks).sort(), ["production", "shared", "staging"]);
      assert.ok(previews.every((p) => p.commentsOnPr && p.policyPacks.includes("policy-pack")));
      assert.deepEqual(
        pulumiInvocations(wf).filter((p) => p.command !== "preview"),
        [],
      );
    });

    it("cancels superseded runs per pull request", () => {
      assert.deepEqual(pullRequestConcurrencyViolations(wf), []);
    });

    it("posts the offline diff of every stack against the base branch, without cloud credentials, forks included", () => {
      const job = wf.jobs["offline-diff"];
      assert.ok(job, "an offline-diff job");
      assert.equal(job.if, undefined, "it runs for every pull request, forks included");
      const runs = (job.steps ?? []).map((s) => String(s.run ?? ""));
      const diff = runs.find((r) => r.includes("--diff"));
      assert.ok(diff?.includes('npm run --silent plan -- "$stack" --diff "origin/$BASE_REF"'), "plan --diff per stack");
      assert.ok(diff?.includes("for stack in shared staging production local"), "every stack");
      assert.ok(diff?.includes("GITHUB_STEP_SUMMARY"), "the job summary holds the diff for forks");
      assert.ok(
        runs.some((r) => /gh pr comment/.test(r)),
        "posted as a PR comment",
      );
      assert.ok(
        !(job.steps ?? []).some((s) => String(s.uses ?? "").includes("configure-aws-credentials")),
        "no AWS role",
      );
    });
  });

  describe("deploy-staging.yml", () => {
    const wf = workflow("deploy-staging.yml");

    it("builds helium-backend and helium-frontend once each, linux/arm64, pushed to one registry, tagged with the commit SHA", () => {
      const builds = imageBuilds(wf);
      assert.deepEqual(builds.flatMap((b) => b.repositories).sort(), ["helium-backend", "helium-frontend"]);
      assert.ok(builds.every((b) => b.pushes && b.platforms.join() === "linux/arm64"));
      assert.equal(new Set(builds.flatMap((b) => b.registries)).size, 1);
      assert.equal(wf.env?.["IMAGE_TAG"], "${{ github.sha }}");
    });

    it("sets helium:imageTag to the pushed tag, then runs pulumi up on staging after the images job", () => {
      const steps = wf.jobs["deploy"].steps!.map((s) => s.run ?? "");
      const setTag = steps.findIndex((r) =>
        r.includes('pulumi config set helium:imageTag "$IMAGE_TAG" --stack staging'),
      );
      const up = steps.findIndex((r) => /pulumi up --stack staging --policy-pack policy-pack /.test(r));
      assert.ok(setTag >= 0 && up > setTag, "config set precedes up");
      assert.equal(wf.jobs["deploy"].needs, "images");
    });
  });

  describe("deploy-production.yml", () => {
    const wf = workflow("deploy-production.yml");

    it("runs pulumi up on production after the approval job (environment: production), with no image build or image input", () => {
      assert.equal(wf.jobs["approve"].environment, "production");
      assert.equal(wf.jobs["deploy"].needs, "approve");
      assert.deepEqual(imageBuilds(wf), []);
      assert.ok(
        !text("deploy-production.yml").includes("config set"),
        "promotion comes from helium:promoteFrom, not CI input",
      );
      assert.ok(!("workflow_dispatch" in (wf.on as object)), "no manual trigger with free inputs");
    });
  });

  describe("checks fail on bad documents", () => {
    const seed = parseWorkflow(SEED_PIPELINE, "seed");

    it("the seed's pipeline fails the static-key, ECS, image and permission checks", () => {
      const keys = staticKeyViolations(seed);
      assert.ok(
        keys.some((v) => v.includes("aws-access-key-id")),
        keys.join("\n"),
      );
      assert.ok(
        keys.some((v) => v.includes("secrets.AWS_ACCESS_KEY")),
        keys.join("\n"),
      );
      const ecs = ecsPokeViolations(seed);
      assert.ok(
        ecs.some((v) => v.includes("amazon-ecs-deploy-task-definition")) && ecs.some((v) => v.includes("AWS CLI")),
        ecs.join("\n"),
      );
      assert.ok(imageBuildViolations(seed).some((v) => v.includes("has a matrix (region)")));
      assert.ok(permissionViolations(seed).some((v) => v.includes("exactly { contents: read }")));
      assert.ok(
        actionPinViolations(seed).some((v) => v.includes("actions/checkout@v4 is not pinned to a full commit SHA")),
      );
      assert.deepEqual(
        imageBuilds(seed).map((b) => ({ repositories: b.repositories, platforms: b.platforms, pushes: b.pushes })),
        [{ repositories: ["$IMAGE_URI"], platforms: ["linux/arm64"], pushes: true }],
      );
    });

    it("policy pack: a preview or up without it is reported, in run steps and in pulumi/actions", () => {
      assert.match(
        policyPackViolations(variant("deploy-staging.yml", " --policy-pack policy-pack", ""))[0],
        /deploy\/.*pulumi up runs without --policy-pack/,
      );
      assert.match(
        policyPackViolations(variant("pull-request.yml", /\n\s+policyPacks: policy-pack/, ""))[0],
        /pulumi preview runs without/,
      );
      assert.equal(
        policyPackViolations(variant("deploy-production.yml", "--policy-pack policy-pack", "--policy-pack other-pack"))
          .length,
        1,
      );
    });

    it("policy config: the pack without --policy-pack-config policy-config.json is reported, in run steps and in pulumi/actions", () => {
      const noConfig = variant("deploy-staging.yml", " --policy-pack-config policy-config.json", "");
      // The first `pulumi up` of the job is the targeted one that registers the one-off task definitions.
      assert.deepEqual(policyPackViolations(noConfig), [
        "deploy/Register this image's one-off task definitions (targeted up): pulumi up runs policy-pack without --policy-pack-config policy-config.json (found none), so the committed exemptions and levels never apply",
      ]);
      const otherConfig = variant(
        "deploy-production.yml",
        "--policy-pack-config policy-config.json",
        "--policy-pack-config other.json",
      );
      assert.match(
        policyPackViolations(otherConfig)[0],
        /without --policy-pack-config policy-config.json \(found other.json\)/,
      );
      const actionNoConfig = variant("pull-request.yml", /\n\s+policyPackConfigs: policy-config.json/, "");
      assert.match(
        policyPackViolations(actionNoConfig)[0],
        /preview .*: pulumi preview runs policy-pack without --policy-pack-config/,
      );
      // The CLI pairs configs with packs by position: a config for another pack does not configure ours.
      const misplaced = variant(
        "deploy-production.yml",
        "--policy-pack policy-pack --policy-pack-config policy-config.json",
        "--policy-pack other-pack --policy-pack policy-pack --policy-pack-config policy-config.json",
      );
      assert.match(policyPackViolations(misplaced)[0], /without --policy-pack-config policy-config.json/);
      const extra = variant(
        "deploy-production.yml",
        "--policy-pack-config policy-config.json",
        "--policy-pack-config policy-config.json --policy-pack-config more.json",
      );
      assert.match(policyPackViolations(extra)[0], /has 1 policy pack\(s\) but 2 config\(s\)/);
    });

    it("stack existence: a pulumi command on a stack the job has not created or selected with --create is reported", () => {
      const ensure = /\n {6}- name: Select the staging stack[^\n]*\n(?: {8}[^\n]*\n)+/;
      assert.deepEqual(stackExistenceViolations(variant("deploy-staging.yml", ensure, "\n")), [
        'deploy/Point staging at this commit\'s images: pulumi config set on staging before the job creates it (run pulumi stack select --create staging first); against a new backend it fails with "stack not found"',
        'deploy/Register this image\'s one-off task definitions (targeted up): pulumi up on staging before the job creates it (run pulumi stack select --create staging first); against a new backend it fails with "stack not found"',
        'deploy/pulumi up staging with the policy pack: pulumi up on staging before the job creates it (run pulumi stack select --create staging first); against a new backend it fails with "stack not found"',
      ]);
      // Selecting without --create fails the same way on a new backend: the select and both ups (targeted, full).
      assert.equal(
        stackExistenceViolations(
          variant("deploy-production.yml", "pulumi stack select --create production", "pulumi stack select production"),
        ).length,
        3,
      );
      // pulumi/actions without upsert needs the stack to exist; with upsert it creates it.
      const noSelect = variant(
        "pull-request.yml",
        /\n {6}- name: Select the \$\{\{ matrix\.stack \}\}[^\n]*\n(?: {8}[^\n]*\n)+/,
        "\n",
      );
      const violations = stackExistenceViolations(noSelect);
      assert.ok(violations.some((v) => v.includes("pulumi config set on staging before the job creates it")));
      assert.deepEqual(
        violations
          .filter((v) => v.includes("pulumi/actions"))
          .map((v) => /preview on (\w+) without upsert/.exec(v)?.[1]),
        ["shared", "staging", "production"],
      );
      const upsert = parseWorkflow(
        text("pull-request.yml")
          .replace(/\n {6}- name: Select the \$\{\{ matrix\.stack \}\}[^\n]*\n(?: {8}[^\n]*\n)+/, "\n")
          .replace("comment-on-pr: true", "comment-on-pr: true\n          upsert: true"),
      );
      assert.deepEqual(
        stackExistenceViolations(upsert).filter((v) => v.includes("pulumi/actions")),
        [],
        "upsert creates the stack",
      );
      // A command that names no stack uses the selected one; with none selected it is reported.
      const bare = parseWorkflow("jobs:\n  a:\n    steps:\n      - run: pulumi up --yes\n");
      assert.deepEqual(stackExistenceViolations(bare), ["a/step 1: pulumi up names no stack and none is selected"]);
      const selected = parseWorkflow(
        "jobs:\n  a:\n    steps:\n      - run: |\n          pulumi stack init acme/helium/dev\n          pulumi up --yes\n",
      );
      assert.deepEqual(stackExistenceViolations(selected), []);
    });

    it("smoke check: an up without a later smoke step on its own stack's apiUrl, or one that can be skipped, is reported", () => {
      const smokeStep = /\n {6}- name: Smoke check staging[^\n]*\n(?: {8}[^\n]*\n?)+/;
      assert.deepEqual(smokeCheckViolations(variant("deploy-staging.yml", smokeStep, "\n")), [
        "deploy/Register this image's one-off task definitions (targeted up): pulumi up of staging is not followed by a smoke check (.github/scripts/smoke-check.sh on the apiUrl output of staging + /api/health)",
        "deploy/pulumi up staging with the policy pack: pulumi up of staging is not followed by a smoke check (.github/scripts/smoke-check.sh on the apiUrl output of staging + /api/health)",
      ]);
      // Another stack's URL does not prove this deploy (neither the targeted nor the full up).
      assert.equal(
        smokeCheckViolations(
          variant(
            "deploy-production.yml",
            "pulumi stack output apiUrl --stack production",
            "pulumi stack output apiUrl --stack staging",
          ),
        ).length,
        2,
      );
      assert.equal(
        smokeCheckViolations(variant("deploy-staging.yml", '"$api_url/api/health"', '"$api_url/"')).length,
        2,
        "the health path is requested",
      );
      // Reported once per up the step follows (the targeted and the full up), the same step each time.
      assert.deepEqual(
        [
          ...new Set(
            smokeCheckViolations(
              variant(
                "deploy-staging.yml",
                "        timeout-minutes: 10\n        run: |\n          api_url",
                "        timeout-minutes: 10\n        continue-on-error: true\n        run: |\n          api_url",
              ),
            ),
          ),
        ],
        [
          "deploy/Smoke check staging through its public name: the smoke check has continue-on-error, so a failure would not fail the deploy",
        ],
      );
      assert.match(
        smokeCheckViolations(
          variant(
            "deploy-production.yml",
            "        timeout-minutes: 10\n        run: |\n          api_url",
            "        timeout-minutes: 10\n        if: github.run_attempt == 1\n        run: |\n          api_url",
          ),
        )[0],
        /the smoke check has if: github.run_attempt == 1; it must always run/,
      );
      // A smoke step before the up checks the previous deploy, not this one.
      const original = text("deploy-staging.yml");
      const smoke = smokeStep.exec(original)![0];
      const moved = original
        .replace(smoke, "\n")
        .replace(
          "      - name: pulumi up staging",
          `${smoke.slice(1).replace(/\n?$/, "\n")}      - name: pulumi up staging`,
        );
      assert.equal(smokeCheckViolations(parseWorkflow(moved)).length, 1);
    });

    it("OIDC: a role-assuming job without id-token: write, or id-token on a job without a role, is reported", () => {
      const noToken = variant(
        "deploy-production.yml",
        "id-token: write # OIDC into the production deploy role",
        "id-token: none",
      );
      assert.deepEqual(permissionViolations(noToken), [
        "deploy: assumes an AWS role but lacks permissions id-token: write",
      ]);
      const broadTop = variant("deploy-staging.yml", /^permissions:\n {2}contents: read/m, "permissions: write-all");
      assert.ok(permissionViolations(broadTop).some((v) => v.startsWith("workflow permissions must be exactly")));
      const topToken = variant(
        "deploy-production.yml",
        /^permissions:\n {2}contents: read\n/m,
        "permissions:\n  contents: read\n  id-token: write\n",
      );
      assert.ok(permissionViolations(topToken).includes("test: has id-token: write but assumes no AWS role"));
      const noComment = variant("pull-request.yml", "comment-on-pr: true", "comment-on-pr: false");
      assert.deepEqual(permissionViolations(noComment), ["preview: has pull-requests: write but posts no PR comment"]);
    });

    it("static keys: an env or secret named like an access key is reported", () => {
      const envKey = variant(
        "deploy-production.yml",
        "PULUMI_ACCESS_TOKEN: ${{ secrets.PULUMI_ACCESS_TOKEN }}",
        "AWS_ACCESS_KEY_ID: ${{ secrets.DEPLOY_KEY }}",
      );
      assert.ok(staticKeyViolations(envKey).some((v) => v.includes(".env.AWS_ACCESS_KEY_ID")));
      const secretRef = variant(
        "deploy-staging.yml",
        "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        "${{ secrets.PROD_ACCESS_KEY }}",
      );
      assert.ok(staticKeyViolations(secretRef).some((v) => v.includes("secrets.PROD_ACCESS_KEY")));
    });

    it("branch mapping: a deploy workflow on the wrong or an extra branch, or upping another stack, is reported", () => {
      assert.match(
        branchStackViolations(variant("deploy-staging.yml", "branches: [beta]", "branches: [migrated-demo2]")).join(
          "\n",
        ),
        /branch migrated-demo2 must deploy only production, but runs pulumi up on staging/,
      );
      assert.match(
        branchStackViolations(variant("deploy-staging.yml", "branches: [beta]", "branches: [beta, main]")).join("\n"),
        /exactly one branch/,
      );
      assert.match(
        branchStackViolations(
          variant("deploy-production.yml", "pulumi up --stack production", "pulumi up --stack staging"),
        ).join("\n"),
        /must deploy only production/,
      );
      assert.match(
        branchStackViolations(variant("deploy-production.yml", /^on:\n/m, "on:\n  workflow_dispatch:\n")).join("\n"),
        /also triggered by workflow_dispatch/,
      );
      assert.equal(shortStack("acme/helium/production"), "production");
    });

    it("concurrency: missing, per-run or cancelling deploy concurrency is reported", () => {
      assert.match(
        deployConcurrencyViolations(
          variant("deploy-staging.yml", "cancel-in-progress: false", "cancel-in-progress: true"),
        )[0],
        /cancel-in-progress must be false/,
      );
      assert.match(
        deployConcurrencyViolations(
          variant("deploy-production.yml", "group: deploy-production", "group: deploy-${{ github.run_id }}"),
        ).join("\n"),
        /varies between runs/,
      );
      assert.match(
        deployConcurrencyViolations(variant("deploy-production.yml", /^concurrency:\n.*\n.*\n/m, ""))[0],
        /no workflow-level concurrency group/,
      );
      assert.match(
        pullRequestConcurrencyViolations(
          variant("pull-request.yml", "cancel-in-progress: true", "cancel-in-progress: false"),
        )[0],
        /must cancel in progress/,
      );
    });

    it("approval: production deployed without environment: production is reported", () => {
      assert.deepEqual(approvalViolations(variant("deploy-production.yml", /^ {4}environment: production\n/m, "")), [
        "deploy: updates production without waiting for environment: production (its own or a needed job's)",
      ]);
      assert.equal(
        approvalViolations(variant("deploy-production.yml", "    needs: approve\n", "    needs: test\n")).length,
        1,
      );
      assert.equal(
        approvalViolations(variant("deploy-production.yml", "environment: production", "environment: staging")).length,
        1,
      );
    });

    it("images: another platform, a second build of one repository, or a matrix over builds is reported", () => {
      assert.match(
        imageBuildViolations(
          variant("deploy-staging.yml", "platforms: linux/arm64", "platforms: linux/amd64,linux/arm64"),
        )[0],
        /must be exactly linux\/arm64/,
      );
      assert.match(
        imageBuildViolations(
          variant(
            "deploy-staging.yml",
            "/helium-frontend:${{ env.IMAGE_TAG }}",
            "/helium-backend:${{ env.IMAGE_TAG }}",
          ),
        ).join("\n"),
        /helium-backend is built 2 times/,
      );
      const perRegion = variant(
        "deploy-staging.yml",
        "    timeout-minutes: 60\n    permissions:\n      contents: read\n      id-token: write # OIDC into the staging deploy role (ECR push",
        "    timeout-minutes: 60\n    strategy:\n      matrix:\n        region: [ap-south-1, us-east-1]\n    permissions:\n      contents: read\n      id-token: write # OIDC into the staging deploy role (ECR push",
      );
      assert.match(imageBuildViolations(perRegion).join("\n"), /has a matrix \(region\)/);
    });

    it("ECS: an aws ecs command or ECS deploy action in our workflows is reported", () => {
      const poke = variant(
        "deploy-production.yml",
        "run: pulumi stack select --create production",
        "run: aws ecs update-service --cluster c --service s --force-new-deployment; pulumi stack select --create production",
      );
      assert.equal(ecsPokeViolations(poke).length, 1);
    });

    it("tests before deploy: an up without a tested upstream is reported", () => {
      assert.deepEqual(testsBeforeDeployViolations(variant("deploy-production.yml", "    needs: approve\n", "")), [
        "deploy: runs pulumi up without needing a job that runs npm test",
      ]);
    });

    it("action pins: a tag, a branch, a short SHA, or a SHA pin without its version comment is reported", () => {
      const sha = "8d2750c68a42422c14e847fe6c8ac0403b4cbd6f";
      const pinned = `docker/setup-buildx-action@${sha} # v3.12.0`;
      const tagged = actionPinViolations(variant("deploy-staging.yml", pinned, "docker/setup-buildx-action@v3"));
      assert.deepEqual(tagged, [
        "images/docker/setup-buildx-action@v3: docker/setup-buildx-action@v3 is not pinned to a full commit SHA (a tag or branch can move to unreviewed code)",
      ]);
      assert.equal(
        actionPinViolations(variant("deploy-staging.yml", pinned, "docker/setup-buildx-action@master")).length,
        1,
      );
      assert.equal(
        actionPinViolations(variant("deploy-staging.yml", pinned, `docker/setup-buildx-action@${sha.slice(0, 7)}`))
          .length,
        1,
      );
      assert.match(
        actionPinViolations(variant("deploy-staging.yml", pinned, `docker/setup-buildx-action@${sha}`)).join("\n"),
        /has no version comment \(found none\)/,
      );
      assert.match(
        actionPinViolations(variant("deploy-staging.yml", pinned, `docker/setup-buildx-action@${sha} # latest`)).join(
          "\n",
        ),
        /has no version comment \(found "# latest"\)/,
      );
      // A comment on the line below the step is not the pin's comment.
      assert.equal(
        actionPinViolations(
          variant("deploy-staging.yml", pinned, `docker/setup-buildx-action@${sha}\n        # v3.12.0`),
        ).length,
        1,
      );
      const image = parseWorkflow("jobs:\n  a:\n    steps:\n      - uses: docker://alpine:3.20\n");
      assert.match(actionPinViolations(image)[0], /not pinned to an image digest/);
    });
  });
});
