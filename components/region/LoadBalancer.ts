/**
 * RegionLoadBalancer: the region's public entry. A DNS-validated ACM certificate, an internet-facing ALB
 * (invalid headers dropped, desync mitigation, access logs to an SSE-S3 bucket), an HTTPS listener with a
 * TLS 1.3/1.2 policy whose default action is 404 (services add listener rules in front of it), and an HTTP
 * listener that only redirects to HTTPS.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionalName } from "../../lib/naming";
import { regionInfo } from "../../lib/regions";
import type { RegionModel } from "../../model/types";
import { childOf } from "../aliases";
import { SecureBucket } from "../SecureBucket";

/** ALB access logs expire after this many days. */
export const ACCESS_LOG_RETENTION_DAYS = 90;

export interface RegionLoadBalancerArgs {
  readonly model: RegionModel;
  /** Prefix of every child's logical name (the HeliumRegion's name), so URNs stay as they were. */
  readonly namePrefix: string;
  readonly account: string;
  /** Hosted zone that holds the certificate's DNS validation records. */
  readonly hostedZoneId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly publicSubnetIds: pulumi.Input<string>[];
}

/** The names ACM validates with one DNS record each: a wildcard shares its base name's record. */
export function validationNames(domainName: string, alternativeNames: readonly string[]): string[] {
  return [...new Set([domainName, ...alternativeNames].map((n) => n.replace(/^\*\./, "")))];
}

export class RegionLoadBalancer extends pulumi.ComponentResource {
  readonly certificateArn: pulumi.Output<string>;
  readonly albArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the `LoadBalancer` dimension of ALB metrics. */
  readonly albArnSuffix: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly httpListenerArn: pulumi.Output<string>;

  constructor(name: string, args: RegionLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("helium:region:LoadBalancer", name, {}, opts);
    const { model, namePrefix: n } = args;
    const { region, environment: env, loadBalancer: lb } = model;
    const child = childOf(this, opts?.parent);

    const certificate = new aws.acm.Certificate(
      `${n}-certificate`,
      {
        region,
        domainName: lb.certificate.domainName,
        subjectAlternativeNames: [...lb.certificate.alternativeNames],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags: { Name: regionalName(env, region, "certificate") },
      },
      child,
    );
    const validationRecordFqdns: pulumi.Output<string>[] = [];
    if (lb.certificate.createValidationRecords) {
      // One record per validated name, known from the model, so a preview shows every record.
      validationNames(lb.certificate.domainName, lb.certificate.alternativeNames).forEach((domain, i) => {
        const option = certificate.domainValidationOptions.apply((options) =>
          options.find((o) => o.domainName === domain || o.domainName === `*.${domain}`),
        );
        const record = new aws.route53.Record(
          i === 0 ? `${n}-certificate-validation` : `${n}-certificate-validation-${i + 1}`,
          {
            zoneId: args.hostedZoneId,
            name: option.apply((o) => o?.resourceRecordName ?? ""),
            type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
            records: [option.apply((o) => o?.resourceRecordValue ?? "")],
            ttl: 300,
            allowOverwrite: true,
          },
          child,
        );
        validationRecordFqdns.push(record.fqdn);
      });
    }
    const validation = new aws.acm.CertificateValidation(
      `${n}-certificate-validation`,
      { region, certificateArn: certificate.arn, validationRecordFqdns },
      child,
    );
    this.certificateArn = validation.certificateArn;

    const logs = new SecureBucket(
      `${n}-alb-logs`,
      {
        region,
        bucketName: lb.accessLogBucket,
        generatedName: lb.generatedBucketName,
        forceDestroy: !model.protect,
        policyStatements: (bucketArn) => [
          {
            Sid: "AllowAlbLogDelivery",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${regionInfo(region).elbLogDeliveryAccountId}:root` },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/alb/AWSLogs/${args.account}/*`,
          },
        ],
      },
      childOf(this, opts?.parent, { protect: model.protect }),
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${n}-alb-logs-lifecycle`,
      {
        region,
        bucket: logs.bucketName,
        rules: [
          { id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: ACCESS_LOG_RETENTION_DAYS } },
        ],
      },
      child,
    );

    const alb = new aws.lb.LoadBalancer(
      `${n}-alb`,
      {
        region,
        name: lb.name,
        internal: false,
        loadBalancerType: "application",
        securityGroups: [args.securityGroupId],
        subnets: args.publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: lb.deletionProtection,
        idleTimeout: lb.idleTimeoutSeconds,
        desyncMitigationMode: "defensive",
        accessLogs: { bucket: logs.bucketName, prefix: "alb", enabled: true },
        // Explicit statement that this load balancer is the public edge (checked by the policy pack).
        tags: { Name: lb.name, "helium:exposure": "public-edge" },
      },
      { ...child, dependsOn: [logs.policy] },
    );
    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;

    const https = new aws.lb.Listener(
      `${n}-https`,
      {
        region,
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: lb.sslPolicy,
        certificateArn: this.certificateArn,
        // Unrouted requests get 404; services add listener rules in front of this.
        defaultActions: [
          {
            type: "fixed-response",
            fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
          },
        ],
      },
      child,
    );
    const http = new aws.lb.Listener(
      `${n}-http`,
      {
        region,
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      },
      child,
    );
    this.httpsListenerArn = https.arn;
    this.httpListenerArn = http.arn;
    this.registerOutputs({ albArn: this.albArn, albDnsName: this.albDnsName, httpsListenerArn: this.httpsListenerArn });
  }
}
