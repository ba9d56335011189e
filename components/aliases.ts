/**
 * Resource options for children of a sub-component that used to be direct children of `formerParent`.
 * Pulumi keys state by URN, and a URN contains the chain of parent types: without the alias, moving a
 * resource under a new component would delete and re-create it. With it, the engine finds the old URN
 * and the resource stays as it is.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * `{ ...extra, parent }`, plus, when `formerParent` is given, one alias `{ parent: formerParent.urn }`
 * after `extra.aliases`.
 *
 * The alias names the former parent by its URN rather than by the Resource. Both send the engine the same
 * alias spec (the parent's URN), but the SDK turns every alias into an Output, and each Output walks its
 * resolved value looking for unknowns (`containsUnknowns` in @pulumi/pulumi's output.js). A Resource there
 * is walked whole, with every Output it holds: about 380 objects each time, and production's 300 or so such
 * aliases were walked about three times each. A URN is one string.
 */
export function childOf(
  parent: pulumi.Resource,
  formerParent: pulumi.Resource | undefined,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  if (formerParent === undefined) return { ...extra, parent };
  const alias: pulumi.Alias = { parent: formerParent.urn };
  return { ...extra, parent, aliases: [...(extra.aliases ?? []), alias] };
}
