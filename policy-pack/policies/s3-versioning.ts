/**
 * S3 Versioning with bounded history (Checkov CKV_AWS_21, "S3 bucket has versioning enabled"): every bucket
 * keeps overwritten and deleted objects recoverable, and a lifecycle rule expires those noncurrent versions,
 * so versioning does not keep every version forever. Log buckets included: versioning is what keeps a
 * deleted log recoverable.
 *
 * In aws v7 versioning and lifecycle are separate resources linked by the bucket name, so this is a stack
 * policy; links go by property dependencies first (known at a first preview), then by name.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { UNKNOWN, isSet, readArray, readPath, type ResourceNode } from "../lib/values";
import { S3_BUCKET, attachedTo } from "./encryption";

export const S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
export const S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/** An enabled lifecycle rule that expires noncurrent versions (or one whose rules are not known yet). */
function expiresNoncurrentVersions(lifecycle: ResourceNode): boolean {
  const rules = readArray(lifecycle.props, "rules");
  if (rules === UNKNOWN) return true;
  return (rules ?? []).some(
    (rule) =>
      readPath(rule, "status") === "Enabled" &&
      (isSet(rule, "noncurrentVersionExpiration", "noncurrentDays") ||
        isSet(rule, "noncurrentVersionExpiration", "newerNoncurrentVersions")),
  );
}

export const s3Versioning: StackValidationPolicy = stackPolicy({
  name: "helium-s3-versioning",
  description:
    "Every S3 bucket has versioning enabled and a lifecycle rule that expires noncurrent versions (CKV_AWS_21).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the bucket a BucketVersioning with status Enabled (SecureBucket `versioned: true`) and add a rule with noncurrentVersionExpiration to its BucketLifecycleConfiguration (SecureBucket `expireNoncurrentVersions()`).",
  validate: (args, report) => {
    const nodes = args.resources as unknown as ResourceNode[];
    const versionings = nodes.filter((n) => n.type === S3_VERSIONING);
    const lifecycles = nodes.filter((n) => n.type === S3_LIFECYCLE);
    for (const bucket of nodes.filter((n) => n.type === S3_BUCKET)) {
      const enabled = attachedTo(bucket, versionings).some((v) => {
        const status = readPath(v.props, "versioningConfiguration", "status");
        return status === "Enabled" || status === UNKNOWN;
      });
      if (!enabled) report(bucket.urn, "the bucket has no BucketVersioning with status Enabled");
      else if (!attachedTo(bucket, lifecycles).some(expiresNoncurrentVersions))
        report(
          bucket.urn,
          "the bucket is versioned but no lifecycle rule expires noncurrent versions: every old version would be kept",
        );
    }
  },
});
