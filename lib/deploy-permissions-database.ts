/**
 * The database of a deploy role (`helium:database`, components/region/Database.ts): the RDS instance, its
 * parameter and subnet groups and its final snapshot by their generated names (a fixed prefix per environment
 * and region, lib/physical-names.ts), and the master user secret RDS creates with the caller's permissions.
 * Actions, resource types and condition keys: Service Authorization Reference, Amazon RDS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html).
 */
import type { PolicyStatement } from "./iam";
import { type DeployScope, allow, inRegions, perRegion, regionalArn, regionalName } from "./deploy-permissions-scope";

export function databaseStatements(scope: DeployScope): PolicyStatement[] {
  const env = scope.environment;
  // Each name is `<prefix>-` plus a generated suffix; production's bare prefixes (helium-db-mum-) cannot match
  // another environment's (helium-db-staging-mum-).
  const named = (kind: string, thing: string, suffix = "") =>
    perRegion(scope, "rds", (region) => `${kind}:${regionalName(env, region, thing)}-${suffix}*`);
  return [
    allow(
      "DatabaseByName",
      [
        "rds:CreateDBInstance",
        "rds:ModifyDBInstance",
        "rds:DeleteDBInstance",
        "rds:DescribeDBInstances",
        // The final snapshot of a deleted instance.
        "rds:CreateDBSnapshot",
        "rds:CreateDBSubnetGroup",
        "rds:ModifyDBSubnetGroup",
        "rds:DeleteDBSubnetGroup",
        "rds:DescribeDBSubnetGroups",
        "rds:CreateDBParameterGroup",
        "rds:ModifyDBParameterGroup",
        "rds:DeleteDBParameterGroup",
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters",
        // By name, so re-tagging cannot reach another environment's resources.
        "rds:AddTagsToResource",
        "rds:RemoveTagsFromResource",
        "rds:ListTagsForResource",
      ],
      [
        ...named("db", "db"),
        ...named("pg", "db-params"),
        ...named("subgrp", "db-subnets"),
        ...named("snapshot", "db", "final-"),
        // The engine's default option group (default:postgres-17, …), which an instance without one of its own uses.
        regionalArn(scope, "rds", "og:default*"),
      ],
      inRegions(scope),
    ),
    // manageMasterUserPassword: RDS creates, tags, rotates and deletes the secret with the caller's permissions
    // ("Required permissions for Secrets Manager integration", Amazon RDS User Guide,
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html); the program turns
    // rotation off or sets it (aws.secretsmanager.SecretRotation). RDS names the secret rds!db-<uuid>, with no
    // environment in it: the account's RDS-managed secrets in the environment's regions is the closest scope.
    // The key it is encrypted with is the region key (keys group: kms:DescribeKey, CreateGrant, Decrypt, …).
    allow(
      "DatabaseMasterSecretNamedByRds",
      [
        "secretsmanager:CreateSecret",
        "secretsmanager:TagResource",
        "secretsmanager:DescribeSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:RotateSecret",
        "secretsmanager:CancelRotateSecret",
        "secretsmanager:DeleteSecret",
      ],
      regionalArn(scope, "secretsmanager", "secret:rds!db-*"),
      inRegions(scope),
    ),
  ];
}
