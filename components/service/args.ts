/**
 * The arguments of HeliumService, in a module of their own so the role and validation modules beside the
 * component can take them without importing the component.
 */
import type { ServiceModel } from "../../model/types/service";
import type { HeliumRegion } from "../region/HeliumRegion";

/** What a service needs of its region; a {@link HeliumRegion} provides all of it. */
export type ServiceFoundation = Pick<
  HeliumRegion,
  | "region"
  | "environment"
  | "vpcId"
  | "privateSubnetIds"
  | "serviceSecurityGroupIds"
  | "httpsListenerArn"
  | "clusterArn"
  | "clusterName"
  | "queueArn"
  | "queueUrl"
  | "queueName"
  | "filesBucketArn"
  | "filesBucketName"
  | "kmsKeyArn"
  | "secretArn"
  | "secretVersionId"
  | "secretVersion"
  | "secretKeys"
  | "logGroups"
  | "model"
  | "serviceConnectNamespaceArn"
  | "execSessionLogGroupArn"
  | "database"
>;

export interface HeliumServiceArgs {
  /** The resolved service (model/service.ts `resolveService`). */
  readonly model: ServiceModel;
  /** The region foundation the service runs on. Must be the model's region and environment. */
  readonly foundation: ServiceFoundation;
  /** AWS account id: pins the roles' trust to this account. */
  readonly account: string;
}
