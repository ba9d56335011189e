/**
 * RegionLoadBalancer: the region's load balancer. A DNS-validated ACM certificate, an ALB (invalid headers
 * dropped, desync mitigation, access logs to an SSE-S3 bucket) and an HTTPS listener with a TLS 1.3/1.2
 * policy whose default action is 404 (services add listener rules in front of it).
 *
 * - Entry accelerator: the ALB is internet-facing in the public subnets, behind Global Accelerator, and an
 *   HTTP listener only redirects to HTTPS.
 * - Entry apiGateway (`model.loadBalancer.internal`): the ALB is internal, in the private subnets, with the
 *   HTTPS listener only; API Gateway's VPC link reaches it (components/edge/RegionalHttpApi.ts). HTTPS stays
 *   on inside the VPC: the integration verifies the certificate (tlsConfig.serverNameToVerify), and traffic
 *   is encrypted end to end as with the public ALB. It is another logical resource (`<prefix>-internal-alb`)
 *   with another physical name: `internal` forces replacement and ALB names are fixed, so switching an
 *   environment's entry creates the new ALB before the old one is deleted (docs/entry.md, "Switching").
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../lib/input-error";
import { regionalName } from "../../lib/naming";
import { regionInfo } from "../../lib/regions";
import type { RegionModel } from "../../model/types/region";
import { childOf } from "../aliases";
import { SecureBucket, expireNoncurrentVersions } from "../SecureBucket";

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
  /** Subnets of the internet-facing ALB. */
  readonly publicSubnetIds: pulumi.Input<string>[];
  /** Subnets of the internal ALB (`model.loadBalancer.internal`). Defaults to none: required when internal. */
  readonly privateSubnetIds?: pulumi.Input<string>[];
}

/** Tag naming how traffic reaches a load balancer's environment; the policy pack reads it. */
export const ENTRY_TAG = "helium:entry";

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
  /** The HTTP → HTTPS redirect listener; absent on the internal ALB, which only API Gateway reaches (HTTPS). */
  readonly httpListenerArn?: pulumi.Output<string>;

  constructor(name: string, args: RegionLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const internal = args.model.loadBalancer.internal;
    if (internal && (args.privateSubnetIds === undefined || args.privateSubnetIds.length < 2)) {
      throw new InputError(`RegionLoadBalancer ${name}`, [
        {
          key: "privateSubnetIds",
          value: args.privateSubnetIds,
          allowed: "the region's private subnets (at least 2 zones): the load balancer is internal",
        },
      ]);
    }
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
    const regionalRecords: aws.route53.Record[] = [];
    // The first region writes the records of the names every region's certificate holds; a region writes
    // those of the names only its own certificate holds (its own API name, entry apiGateway).
    const recordNames = lb.certificate.createValidationRecords
      ? validationNames(lb.certificate.domainName, lb.certificate.alternativeNames)
      : [...new Set((lb.certificate.regionalNames ?? []).map((name) => name.replace(/^\*\./, "")))];
    // One record per validated name, known from the model, so a preview shows every record.
    recordNames.forEach((domain, i) => {
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
      if (lb.certificate.createValidationRecords) validationRecordFqdns.push(record.fqdn);
      else regionalRecords.push(record);
    });
    // Outside the first region the list stays empty (the shared names' records belong to the first region, and
    // a partial list would fail the provider's check that it names every record): own records are waited for.
    const validation = new aws.acm.CertificateValidation(
      `${n}-certificate-validation`,
      { region, certificateArn: certificate.arn, validationRecordFqdns },
      regionalRecords.length > 0 ? { ...child, dependsOn: regionalRecords } : child,
    );
    this.certificateArn = validation.certificateArn;

    const logs = new SecureBucket(
      `${n}-alb-logs`,
      {
        region,
        bucketName: lb.accessLogBucket,
        generatedName: lb.generatedBucketName,
        forceDestroy: !model.protect,
        versioned: true,
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
          ...expireNoncurrentVersions(),
        ],
      },
      { ...child, dependsOn: logs.versioning ? [logs.versioning] : [] },
    );

    const alb = new aws.lb.LoadBalancer(
      internal ? `${n}-internal-alb` : `${n}-alb`,
      {
        region,
        name: lb.name,
        internal,
        loadBalancerType: "application",
        securityGroups: [args.securityGroupId],
        subnets: internal ? (args.privateSubnetIds ?? []) : args.publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: lb.deletionProtection,
        idleTimeout: lb.idleTimeoutSeconds,
        desyncMitigationMode: "defensive",
        accessLogs: { bucket: logs.bucketName, prefix: "alb", enabled: true },
        // Explicit statement of how the load balancer is reached (checked by the policy pack): the public edge
        // behind Global Accelerator, or internal behind API Gateway.
        tags: internal
          ? { Name: lb.name, [ENTRY_TAG]: "apiGateway" }
          : { Name: lb.name, "helium:exposure": "public-edge" },
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
    this.httpsListenerArn = https.arn;
    if (!internal) {
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
      this.httpListenerArn = http.arn;
    }
    this.registerOutputs({ albArn: this.albArn, albDnsName: this.albDnsName, httpsListenerArn: this.httpsListenerArn });
  }
}
