/**
 * What the first `pulumi preview` of a new stack cannot show. A resource registered inside an `apply`
 * whose input is a computed output (an id, an ARN) is registered at `pulumi up` but never at that preview:
 * the apply does not run on an unknown value. Such resources escape the preview's diff and its policy
 * checks. Comparing an update-mode and a preview-mode evaluation of the same program finds them.
 */
import type { RecordedResource, StackEvaluation } from "./types";

export interface PreviewGap {
  /** Registered at update only: created inside an apply of a computed value (or after awaiting one). */
  readonly onlyAtUpdate: readonly RecordedResource[];
  /** Registered at preview only: a program that branches on `pulumi.runtime.isDryRun()` or an unknown. */
  readonly onlyAtPreview: readonly RecordedResource[];
}

export function previewGap(update: StackEvaluation, preview: StackEvaluation): PreviewGap {
  const urns = (e: StackEvaluation) => new Set(e.resources.map((r) => r.urn));
  const atUpdate = urns(update);
  const atPreview = urns(preview);
  return {
    onlyAtUpdate: update.resources.filter((r) => !atPreview.has(r.urn)),
    onlyAtPreview: preview.resources.filter((r) => !atUpdate.has(r.urn)),
  };
}

/** `type name` lines, for messages. */
export function describeResources(resources: readonly RecordedResource[]): string[] {
  return resources.map((r) => `${r.type} ${r.name}`);
}
