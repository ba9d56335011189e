/**
 * Inputs whose change replaces a resource instead of updating it, for the resource types this program uses.
 *
 * Source: the Terraform AWS provider schema that @pulumi/aws bridges — fields marked `ForceNew: true` (the
 * registry docs say "Changing this forces a new resource") — in hashicorp/terraform-provider-aws
 * `internal/service/<service>/<resource>.go`, checked for each type listed here (files and commits in
 * docs/replacements.md). Changing a resource's `region` always replaces it (aws v7 regional resources).
 * An input missing here updates in place; when in doubt, `pulumi preview --diff` on a real stack decides.
 * Rows for Listener, Route, RouteTableAssociation, VpcEndpoint, CertificateValidation, the accelerator Listener,
 * IAM Policy/RolePolicy/RolePolicyAttachment and the RDS parameter and subnet groups are from the provider
 * documentation's "forces new resource" notes and were not re-read in the schema source (docs/replacements.md).
 */

/** Type token → inputs that force replacement. */
export const REPLACEMENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "aws:lb/targetGroup:TargetGroup": [
    "name",
    "namePrefix",
    "port",
    "protocol",
    "protocolVersion",
    "targetType",
    "vpcId",
    "ipAddressType",
  ],
  "aws:lb/loadBalancer:LoadBalancer": ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"],
  "aws:lb/listener:Listener": ["loadBalancerArn"],
  "aws:lb/listenerRule:ListenerRule": ["listenerArn"],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["securityGroupId"],
  "aws:ecs/cluster:Cluster": ["name"],
  "aws:ecs/service:Service": ["name", "cluster", "launchType", "iamRole", "schedulingStrategy"],
  "aws:ecs/taskDefinition:TaskDefinition": [
    "containerDefinitions",
    "cpu",
    "memory",
    "family",
    "executionRoleArn",
    "taskRoleArn",
    "networkMode",
    "requiresCompatibilities",
    "runtimePlatform",
    "volumes",
    "ephemeralStorage",
    "placementConstraints",
    "proxyConfiguration",
    "ipcMode",
    "pidMode",
  ],
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    "replicationGroupId",
    "atRestEncryptionEnabled",
    "kmsKeyId",
    "subnetGroupName",
    "port",
    "snapshotName",
    "snapshotArns",
    "dataTieringEnabled",
    "networkType",
    "securityGroupNames",
  ],
  "aws:elasticache/subnetGroup:SubnetGroup": ["name"],
  "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
  "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
  "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
  "aws:kms/alias:Alias": ["name", "namePrefix"],
  "aws:ec2/vpc:Vpc": ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
  "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId", "outpostArn"],
  "aws:ec2/natGateway:NatGateway": ["allocationId", "subnetId", "connectivityType", "privateIp"],
  "aws:ec2/eip:Eip": ["address", "domain", "networkBorderGroup", "publicIpv4Pool"],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ["subnetId", "gatewayId"],
  "aws:ec2/route:Route": ["routeTableId", "destinationCidrBlock"],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpcId", "serviceName", "vpcEndpointType"],
  "aws:route53/record:Record": ["name", "zoneId"],
  "aws:acm/certificate:Certificate": [
    "domainName",
    "subjectAlternativeNames",
    "keyAlgorithm",
    "validationMethod",
    "validationOptions",
    "certificateAuthorityArn",
  ],
  "aws:acm/certificateValidation:CertificateValidation": ["certificateArn", "validationRecordFqdns"],
  "aws:globalaccelerator/endpointGroup:EndpointGroup": ["listenerArn", "endpointGroupRegion"],
  "aws:globalaccelerator/listener:Listener": ["acceleratorArn"],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/policy:Policy": ["name", "namePrefix", "path"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
  "aws:appautoscaling/target:Target": ["resourceId", "scalableDimension", "serviceNamespace"],
  "aws:appautoscaling/policy:Policy": ["name", "resourceId", "scalableDimension", "serviceNamespace"],
  "aws:rds/instance:Instance": [
    "identifier",
    "identifierPrefix",
    "engine",
    "availabilityZone",
    "characterSetName",
    "dbName",
    "kmsKeyId",
    "storageEncrypted",
    "username",
    "snapshotIdentifier",
    "timezone",
  ],
  "aws:rds/parameterGroup:ParameterGroup": ["name", "namePrefix", "family", "description"],
  "aws:rds/subnetGroup:SubnetGroup": ["name", "namePrefix"],
};

/**
 * Replacement-forcing inputs that the provider schema also marks optional and computed: leaving one out of the
 * program keeps its value in state, so removing it is no change at all (terraform-plugin-sdk helper/schema
 * `diffString`: `if removed && schema.Computed { return nil }`); giving it another value still replaces.
 * aws_ecs_service `launch_type` is `ForceNew, Optional, Computed` (ecs/service.go), which is how a service
 * moves from launchType to a capacity provider strategy in place (docs/ecs.md "Capacity").
 */
export const KEPT_WHEN_REMOVED: Readonly<Record<string, readonly string[]>> = {
  "aws:ecs/service:Service": ["launchType"],
};

/** The inputs among `changed` that replace a resource of `type`. `region` always does. */
export function replacingInputs(type: string, changed: readonly string[]): string[] {
  const forcing = REPLACEMENT_INPUTS[type] ?? [];
  return changed.filter((input) => input === "region" || forcing.includes(input));
}
