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
