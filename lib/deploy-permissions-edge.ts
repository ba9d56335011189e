/**
 * Edge of a deploy role: regional ACM certificates, the shared zone's records, and the environment's Global
 * Accelerator. Certificates and accelerators have generated ids, so they are scoped by tags.
 */
import type { PolicyStatement } from "./iam";
import {
  type DeployScope,
  accountArn,
  allow,
  claimsUntagged,
  createsTagged,
  regionalArn,
  taggedFor,
} from "./deploy-permissions-scope";

/**
 * API Gateway V2 (the API Gateway entry, components/edge/RegionalHttpApi.ts): one action per HTTP verb on the
 * resource's path, which carries no account
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html).
 */
const apiGateway = (path: string): string => `arn:aws:apigateway:*::${path}`;

export function edgeStatements(scope: DeployScope): PolicyStatement[] {
  const certificates = regionalArn(scope, "acm", "certificate/*");
  // Global Accelerator is a global service: no region in its ARNs, and aws:RequestedRegion is its endpoint's.
  const accelerators = accountArn(scope, "globalaccelerator", "accelerator/*");
  return [
    allow(
      "CertificatesTagged",
      [
        "acm:DeleteCertificate",
        "acm:DescribeCertificate",
        "acm:AddTagsToCertificate",
        "acm:ListTagsForCertificate",
        "acm:RemoveTagsFromCertificate",
      ],
      certificates,
      taggedFor(scope),
    ),
    // RequestCertificate with tags needs AddTagsToCertificate on the new, still untagged certificate.
    allow("CertificateTagOnCreate", ["acm:AddTagsToCertificate"], certificates, claimsUntagged(scope)),
    allow(
      "RecordsInTheSharedZone",
      [
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:GetHostedZone",
        "route53:GetChange",
      ],
      [`arn:aws:route53:::hostedzone/${scope.hostedZoneId}`, "arn:aws:route53:::change/*"],
    ),
    allow(
      "AcceleratorTagged",
      [
        "globalaccelerator:UpdateAccelerator",
        "globalaccelerator:DeleteAccelerator",
        "globalaccelerator:DescribeAccelerator",
        "globalaccelerator:UpdateAcceleratorAttributes",
        "globalaccelerator:DescribeAcceleratorAttributes",
        "globalaccelerator:CreateListener",
        "globalaccelerator:TagResource",
        "globalaccelerator:UntagResource",
        "globalaccelerator:ListTagsForResource",
      ],
      accelerators,
      taggedFor(scope, false),
    ),
    allow("AcceleratorTagOnCreate", ["globalaccelerator:TagResource"], accelerators, claimsUntagged(scope, false)),
    // Listeners and endpoint groups cannot carry tags: the account and resource type are all AWS offers.
    allow(
      "AcceleratorListenersAndEndpointGroups",
      [
        "globalaccelerator:UpdateListener",
        "globalaccelerator:DeleteListener",
        "globalaccelerator:DescribeListener",
        "globalaccelerator:CreateEndpointGroup",
        "globalaccelerator:UpdateEndpointGroup",
        "globalaccelerator:DeleteEndpointGroup",
        "globalaccelerator:DescribeEndpointGroup",
      ],
      accountArn(scope, "globalaccelerator", "accelerator/*/listener/*"),
    ),
    // APIs, VPC links and custom domains have generated ids (domains: any routed host), so tags scope them;
    // routes, integrations, stages, authorizers and API mappings are evaluated with the tags of the API or
    // domain they belong to. Tags are given on create (request tags) and never changed, so apigateway:PUT and
    // DELETE on /tags (TagResource, UntagResource: no condition keys) are not granted.
    allow(
      "ApiGatewayCreateTagged",
      ["apigateway:POST"],
      [apiGateway("/apis"), apiGateway("/vpclinks"), apiGateway("/domainnames")],
      createsTagged(scope),
    ),
    allow(
      "ApiGatewayManageTagged",
      ["apigateway:GET", "apigateway:POST", "apigateway:PATCH", "apigateway:DELETE"],
      [apiGateway("/apis/*"), apiGateway("/vpclinks/*"), apiGateway("/domainnames/*")],
      taggedFor(scope),
    ),
    // Route 53 health checks take neither tag conditions nor names in their ARNs: the account's health checks
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html). IAM lists
    // hostedzone as a resource type of the tag actions too: the shared zone, whose tags nothing reads.
    allow(
      "HealthChecksOfTheAccount",
      [
        "route53:GetHealthCheck",
        "route53:UpdateHealthCheck",
        "route53:DeleteHealthCheck",
        "route53:ChangeTagsForResource",
        "route53:ListTagsForResource",
      ],
      ["arn:aws:route53:::healthcheck/*", `arn:aws:route53:::hostedzone/${scope.hostedZoneId}`],
    ),
    allow("HealthCheckCreationHasNoResourceScope", ["route53:CreateHealthCheck"], "*"),
    allow("CertificateRequestHasNoResourceScope", ["acm:RequestCertificate"], "*", createsTagged(scope)),
    allow(
      "AcceleratorCreationHasNoResourceScope",
      ["globalaccelerator:CreateAccelerator"],
      "*",
      createsTagged(scope, false),
    ),
    allow(
      "ListingsHaveNoResourceScope",
      ["acm:ListCertificates", "route53:ListHostedZones", "sts:GetCallerIdentity"],
      "*",
    ),
  ];
}
