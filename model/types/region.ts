/**
 * The resolved model (one region of an environment): plain data produced by the pure resolve step (model/*.ts) from validated
 * config and the referenced stacks' outputs, and consumed by components. Every physical name, CIDR,
 * priority, port, key and threshold is decided in the resolve step; components derive nothing that can fail.
 * Nothing here is a Pulumi Output.
 */
import type { CacheEngine, InterfaceEndpoint } from "../../lib/platform";
import type { DatabaseModel } from "./database";
import type { ServiceModel } from "./service";

export type SubnetTier = "public" | "private" | "data";

export interface SubnetModel {
  readonly cidr: string;
  readonly availabilityZone: string;
}

export interface NetworkModel {
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly subnets: Readonly<Record<SubnetTier, readonly SubnetModel[]>>;
  /** One NAT gateway per AZ, or one for the whole VPC. */
  readonly natGateways: "perAz" | "single";
  readonly interfaceEndpoints: readonly InterfaceEndpoint[];
  readonly flowLogGroup: string;
  readonly flowLogRole: string;
}

export interface CertificateModel {
  /** The certificate's primary name (≤ 64 characters: ACM's common name). */
  readonly domainName: string;
  readonly alternativeNames: readonly string[];
  /** Whether this region writes the DNS validation record (ACM shares it across regions). */
  readonly createValidationRecords: boolean;
  /**
   * Names only this region's certificate holds (the region's own API name in the API Gateway entry): this
   * region writes their validation records even when `createValidationRecords` is false. Defaults to none.
   */
  readonly regionalNames?: readonly string[];
}

export interface LoadBalancerModel {
  /** `helium-alb[-<env>]-<short>`, or `helium-alb-int[-<env>]-<short>` when internal (another resource, see `internal`). */
  readonly name: string;
  /**
   * Internal, in the private subnets, reachable only from the API Gateway VPC link (entry apiGateway); else
   * internet-facing behind Global Accelerator. `internal` forces replacement and the name is fixed, so the
   * internal ALB is another logical resource with another name: a switch creates it before deleting the old.
   */
  readonly internal: boolean;
  readonly idleTimeoutSeconds: number;
  readonly sslPolicy: string;
  readonly deletionProtection: boolean;
  readonly accessLogBucket: string;
  /** The access-log bucket's name is generated from `accessLogBucket` (outside production: no name held after a destroy). */
  readonly generatedBucketName: boolean;
  readonly certificate: CertificateModel;
  /** Container ports the load balancer forwards to, ascending. */
  readonly targetPorts: readonly number[];
  /**
   * The ALB's group gets no 0.0.0.0/0 ingress: the GlobalEdge opens it to Global Accelerator's own group
   * instead (EdgeModel `albIngressOnlyFromAccelerator`, docs/security.md).
   */
  readonly acceptOnlyFromAccelerator: boolean;
}

export interface QueueModel {
  readonly name: string;
  readonly dlqName: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly dlqRetentionSeconds: number;
  readonly maxReceiveCount: number;
}

export interface CacheModel {
  readonly replicationGroupId: string;
  readonly subnetGroupName: string;
  readonly engine: CacheEngine;
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Primary plus replicas (1-6). */
  readonly numCacheClusters: number;
  readonly snapshotRetentionDays: number;
  /** Set when snapshots are kept: the snapshot taken when the group is deleted. */
  readonly finalSnapshotIdentifier?: string;
  readonly port: number;
}

export interface SecretModel {
  readonly name: string;
  /** 0 (deleted at once, so the name is free again) or 7-30 days. */
  readonly recoveryWindowInDays: number;
  /** Keys the secret holds: the platform's plus the configured app secrets. */
  readonly keys: readonly string[];
}

/** One region of an environment: its foundation and the services on it. */
export interface RegionModel {
  readonly environment: string;
  readonly production: boolean;
  /** AWS region code, e.g. `ap-south-1`. */
  readonly region: string;
  /** Lower-case city name, e.g. `mumbai`. */
  readonly regionName: string;
  /** Protect stateful resources from deletion. */
  readonly protect: boolean;
  readonly kmsAlias: string;
  readonly network: NetworkModel;
  readonly loadBalancer: LoadBalancerModel;
  readonly clusterName: string;
  readonly queue: QueueModel;
  readonly cache: CacheModel;
  /** The region's PostgreSQL; absent when the environment has no database (`helium:database` unset). */
  readonly database?: DatabaseModel;
  readonly filesBucket: {
    readonly name: string;
    /** The physical name is generated from `name` (outside production: no name held after a destroy). */
    readonly generatedName: boolean;
    readonly corsOrigins: readonly string[];
  };
  readonly secret: SecretModel;
  readonly logRetentionDays: number;
  readonly iamPath: string;
  readonly services: readonly ServiceModel[];
  /** Present when a service consumes another: the region's Cloud Map namespace for Service Connect. */
  readonly serviceConnect?: { readonly namespace: string };
  /** Present when a service opts in to ECS Exec: the cluster logs sessions, encrypted, to this log group. */
  readonly ecsExec?: { readonly sessionLogGroup: string };
}
