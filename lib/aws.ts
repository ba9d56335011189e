/**
 * The parts of @pulumi/aws this program uses, one module per service, imported as `* as aws` in place of
 * the package so that `aws.ec2.Vpc` reads as before.
 *
 * Why: the package's index imports every service (over 250, 700k lines of declarations), so each file that
 * imported it made the type checker and the linter load all of them, and every process load every service's
 * module. A service not listed here is added by one line.
 */
export * as acm from "@pulumi/aws/acm";
export * as apigatewayv2 from "@pulumi/aws/apigatewayv2";
export * as appautoscaling from "@pulumi/aws/appautoscaling";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as ecr from "@pulumi/aws/ecr";
export * as ecs from "@pulumi/aws/ecs";
export * as elasticache from "@pulumi/aws/elasticache";
export * as globalaccelerator from "@pulumi/aws/globalaccelerator";
export * as grafana from "@pulumi/aws/grafana";
export * as iam from "./aws-iam";
export * as kms from "@pulumi/aws/kms";
export * as lb from "@pulumi/aws/lb";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as servicediscovery from "@pulumi/aws/servicediscovery";
export * as sns from "@pulumi/aws/sns";
export * as sqs from "@pulumi/aws/sqs";
export * as vpc from "@pulumi/aws/vpc";
export * as xray from "@pulumi/aws/xray";
export { getCallerIdentity, getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { Provider } from "@pulumi/aws/provider";
export type * as types from "@pulumi/aws/types";
