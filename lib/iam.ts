/**
 * IAM policy documents as typed data. Components build statements with these helpers so that every
 * document is plain JSON the policy pack and tests can parse, never a string template.
 */
import * as pulumi from "@pulumi/pulumi";

export type PolicyPrincipal =
  | "*"
  | {
      readonly Service?: string | string[];
      readonly AWS?: pulumi.Input<string> | pulumi.Input<string>[];
      readonly Federated?: pulumi.Input<string>;
    };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Principal?: PolicyPrincipal;
  readonly Condition?: Record<string, Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>;
}

/** `{"Version":"2012-10-17","Statement":[…]}` as JSON text, resolving any Outputs inside. */
export function policyDocument(statements: readonly PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy for an AWS service principal, pinned to this account with `aws:SourceAccount` where the
 * service sets it (confused-deputy protection).
 */
export function serviceTrustPolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount !== undefined ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    },
  ]);
}

/** Denies any request to these resources that is not over TLS (S3, SQS, SNS resource policies). */
export function denyInsecureTransport(action: string, resources: readonly pulumi.Input<string>[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
