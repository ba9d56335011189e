/** Image references in the shared ECR registry. */

/** `<registry>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`, or `@sha256:…` for a digest. */
export function ecrImageUri(registryId: string, region: string, repository: string, tagOrDigest: string): string {
  const reference = tagOrDigest.startsWith("sha256:") ? `@${tagOrDigest}` : `:${tagOrDigest}`;
  return `${registryId}.dkr.ecr.${region}.amazonaws.com/${repository}${reference}`;
}
