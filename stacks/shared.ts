/**
 * The `shared` stack: what every environment reads through a StackReference.
 * - the Route 53 hosted zone of the domain (created, or adopted with helium:hostedZoneId);
 * - the ECR repositories, created with the same settings in the home region and every replication region,
 *   and registry replication from the home region, so CI pushes each image once;
 * - the GitHub Actions OIDC provider and one deploy role per environment, trusted only for the repository,
 *   its branch and audience sts.amazonaws.com, holding exactly what a `pulumi up` of that stack needs.
 *
 * Bootstrap: this stack itself is deployed once by an administrator (see README); the environments are
 * then deployed by CI through the roles it creates.
 */
import * as aws from "../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOY_POLICY_GROUPS,
  MANAGED_POLICY_MAX_CHARACTERS,
  deployPolicyStatements,
  imagePushStatements,
  policySize,
} from "../lib/deploy-permissions";
import { permissionPolicy, permissionProblems, trustPolicy } from "../lib/iam";
import type { Problem } from "../lib/input-error";
import type { SharedModel } from "../model/shared";
import type { StackOutputs } from "./outputs";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/**
 * The ARN IAM gives the GitHub OIDC provider of `account` (IAM identifiers: `oidc-provider/<host>`). Written
 * out rather than read from the provider resource, so the trust documents are known at a first preview and
 * the policy pack checks them then; the roles depend on the provider explicitly.
 */
export function githubOidcProviderArn(account: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** ECR repository ARN from its name (known at a first preview, unlike the repository's `arn` output). */
function repositoryArn(region: string, account: string, repository: string): string {
  return `arn:aws:ecr:${region}:${account}:repository/${repository}`;
}

/** Trust for GitHub Actions runs whose OIDC token has audience sts.amazonaws.com and exactly this `sub`. */
function githubActionsTrust(role: string, sid: string, providerArn: string, subject: string) {
  return trustPolicy(role, [
    {
      Sid: sid,
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
          [`${GITHUB_OIDC_HOST}:sub`]: subject,
        },
      },
    },
  ]);
}

/** The `sub` claim GitHub issues for a pull-request workflow of the repository. */
export function githubPullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The `sub` claim GitHub issues for a workflow run on a branch (no `environment:` on the job). */
export function githubBranchSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

/** The longest hosted zone id Route 53 issues ("Z" + up to 31 characters), to size policies before the zone exists. */
const LONGEST_ZONE_ID = `Z${"X".repeat(31)}`;

/**
 * Problems with the deploy policies, found before anything is registered: a managed policy over 6,144
 * characters (IAM would reject it at `pulumi up`), and a statement that breaks the policy pack's IAM rules
 * (lib/iam-rules.ts; exemptions from policy-config.json, as the pack reads them). Built with the longest
 * possible zone id, so a first preview, which does not know the id of a zone it creates, checks them too:
 * the documents themselves are unknown to the pack then.
 */
export function deployPolicyProblems(model: SharedModel, account: string): Problem[] {
  const problems: Problem[] = [];
  for (const environment of model.environments) {
    const statements = deployPolicyStatements({
      environment: environment.name,
      account,
      regions: model.imageRegions,
      hostedZoneId: model.hostedZoneId ?? LONGEST_ZONE_ID,
    });
    for (const group of DEPLOY_POLICY_GROUPS) {
      problems.push(...permissionProblems(deployPolicyName(environment.name, group), statements[group]));
      const size = policySize(JSON.stringify({ Version: "2012-10-17", Statement: statements[group] }));
      if (size > MANAGED_POLICY_MAX_CHARACTERS) {
        problems.push({
          key: `helium:environments.${environment.name}`,
          value: `${group} policy of ${size} characters`,
          allowed: `a managed policy of at most ${MANAGED_POLICY_MAX_CHARACTERS} characters (IAM quotas); fewer regions or a further split`,
        });
      }
    }
  }
  return problems;
}

/** Logical name of an environment's deploy policy of one group: the resource pack-config exemptions name. */
function deployPolicyName(environment: string, group: string): string {
  return `deploy-${environment}-${group}`;
}

/** Builds the shared stack from its resolved model. `account` is the AWS account it deploys into. */
export function buildShared(model: SharedModel, account: string): StackOutputs {
  const { homeRegion, imageRegions } = model;

  // ── DNS ─────────────────────────────────────────────────────────────────────────────────────────
  let hostedZoneId: pulumi.Output<string>;
  let nameServers: pulumi.Output<string[]> | undefined;
  if (model.hostedZoneId !== undefined) {
    hostedZoneId = pulumi.output(model.hostedZoneId);
  } else {
    const zone = new aws.route53.Zone(
      "helium-zone",
      {
        name: model.domain,
        comment: `Helium public zone for ${model.domain}, managed by Pulumi (shared stack)`,
        forceDestroy: false,
      },
      { protect: true },
    );
    hostedZoneId = zone.zoneId;
    nameServers = zone.nameServers;
  }

  // ── Container registry ──────────────────────────────────────────────────────────────────────────
  const repositories: Record<
    string,
    { name: pulumi.Output<string>; arns: Record<string, pulumi.Output<string>>; url: pulumi.Output<string> }
  > = {};
  for (const repositoryName of model.repositories) {
    const arns: Record<string, pulumi.Output<string>> = {};
    let homeUrl: pulumi.Output<string> | undefined;
    for (const region of imageRegions) {
      // Replication creates missing destination repositories with default (mutable, unscanned) settings,
      // so every region's repository is declared here with the secure ones.
      const repository = new aws.ecr.Repository(
        `${repositoryName}-${region}`,
        {
          region,
          name: repositoryName,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "KMS" }],
          forceDelete: false,
        },
        { protect: true },
      );
      new aws.ecr.LifecyclePolicy(`${repositoryName}-${region}-lifecycle`, {
        region,
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `Keep the last ${model.keepLastImages} images`,
              selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: model.keepLastImages },
              action: { type: "expire" },
            },
          ],
        }),
      });
      arns[region] = repository.arn;
      if (region === homeRegion) homeUrl = repository.repositoryUrl;
    }
    repositories[repositoryName] = { name: pulumi.output(repositoryName), arns, url: homeUrl as pulumi.Output<string> };
  }
  const replicationTargets = imageRegions.filter((r) => r !== homeRegion);
  if (replicationTargets.length > 0) {
    new aws.ecr.ReplicationConfiguration("helium-image-replication", {
      region: homeRegion,
      replicationConfiguration: {
        rules: [
          {
            destinations: replicationTargets.map((region) => ({ region, registryId: account })),
            repositoryFilters: model.repositories.map((filter) => ({ filter, filterType: "PREFIX_MATCH" })),
          },
        ],
      },
    });
  }

  // ── GitHub Actions OIDC and deploy roles ────────────────────────────────────────────────────────
  const oidc = new aws.iam.OpenIdConnectProvider("github-actions", {
    url: `https://${GITHUB_OIDC_HOST}`,
    clientIdLists: ["sts.amazonaws.com"],
  });
  const deployRoleArns: Record<string, pulumi.Output<string>> = {};
  for (const deployment of model.environments) {
    const environment = deployment.name;
    const role = new aws.iam.Role(
      `deploy-${environment}`,
      {
        name: deployment.deployRoleName,
        description: `GitHub Actions (${model.githubRepository}@${deployment.branch}) runs pulumi up -s ${environment}`,
        maxSessionDuration: 3600,
        assumeRolePolicy: githubActionsTrust(
          `deploy-${environment}`,
          "GithubActionsOnOneBranch",
          githubOidcProviderArn(account),
          githubBranchSubject(model.githubRepository, deployment.branch),
        ),
      },
      { dependsOn: [oidc] },
    );
    // Sizes were checked in the resolve step (deployPolicyProblems), before anything was registered.
    const statements = hostedZoneId.apply((zoneId) =>
      deployPolicyStatements({ environment, account, regions: imageRegions, hostedZoneId: zoneId }),
    );
    for (const group of DEPLOY_POLICY_GROUPS) {
      const policy = new aws.iam.Policy(deployPolicyName(environment, group), {
        name: `helium-deploy-${environment}-${group}`,
        description: `pulumi up -s ${environment}: ${group}`,
        // Checked again with the real zone id; deployPolicyProblems checked it before anything was registered.
        policy: statements.apply((all) => permissionPolicy(deployPolicyName(environment, group), all[group])),
      });
      new aws.iam.RolePolicyAttachment(`deploy-${environment}-${group}`, { role: role.name, policyArn: policy.arn });
    }
    if (deployment.pushImages) {
      new aws.iam.RolePolicy(`deploy-${environment}-push-images`, {
        role: role.name,
        policy: permissionPolicy(
          `deploy-${environment}-push-images`,
          imagePushStatements(model.repositories.map((name) => repositoryArn(homeRegion, account, name))),
        ),
      });
    }
    deployRoleArns[environment] = role.arn;
  }

  // Pull-request previews: `pulumi preview` needs valid credentials (the provider checks them with
  // sts:GetCallerIdentity) and the program's invokes, not write or read access to resources.
  const previewRole = new aws.iam.Role(
    "preview",
    {
      name: model.previewRoleName,
      description: `GitHub Actions pull requests of ${model.githubRepository} run pulumi preview`,
      maxSessionDuration: 3600,
      assumeRolePolicy: githubActionsTrust(
        "preview",
        "GithubPullRequestsOfOneRepository",
        githubOidcProviderArn(account),
        githubPullRequestSubject(model.githubRepository),
      ),
    },
    { dependsOn: [oidc] },
  );
  new aws.iam.RolePolicy("preview-identity", {
    role: previewRole.name,
    policy: permissionPolicy("preview-identity", [
      { Sid: "CallerIdentityHasNoResourceScope", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
      // The lookup of Global Accelerator's security group (helium:alb.acceptOnlyFromAccelerator) runs at every
      // preview once the endpoint group exists; DescribeSecurityGroups has no resource-level permissions.
      {
        Sid: "SecurityGroupLookupHasNoResourceScope",
        Effect: "Allow",
        Action: "ec2:DescribeSecurityGroups",
        Resource: "*",
      },
    ]),
  });

  return {
    /** Apex domain, e.g. he2.site. */
    domain: model.domain,
    /** Hosted zone every environment writes its records and certificate validations into. */
    hostedZoneId,
    /** Delegate the domain to these (only when the zone is created here). */
    nameServers: nameServers ?? [],
    homeRegion,
    /** Regions holding a copy of every image; an environment may only run in these. */
    imageRegions,
    /** Registry (account) id: image URI = <registryId>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>. */
    registryId: account,
    /** Per repository: name, ARN per region, URL in the home region (where CI pushes). */
    repositories,
    /** Role per environment for GitHub Actions (configure-aws-credentials role-to-assume). */
    deployRoleArns,
    /** Every application environment and its address lane (environments read their own). */
    environments: Object.fromEntries(model.environments.map((e) => [e.name, { addressLane: e.addressLane }])),
    /** Role for pull-request previews (identity only). */
    previewRoleArn: previewRole.arn,
    oidcProviderArn: oidc.arn,
  };
}
