/**
 * Resource options for children of a sub-component that used to be direct children of `formerParent`.
 * Pulumi keys state by URN, and a URN contains the chain of parent types: without the alias, moving a
 * resource under a new component would delete and re-create it. With it, the engine finds the old URN
 * and the resource stays as it is.
 */
import type * as pulumi from "@pulumi/pulumi";

export function childOf(
  parent: pulumi.Resource,
  formerParent: pulumi.Resource | undefined,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  if (formerParent === undefined) return { ...extra, parent };
  const alias: pulumi.Alias = { parent: formerParent };
  return { ...extra, parent, aliases: [...(extra.aliases ?? []), alias] };
}
