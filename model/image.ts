/**
 * Which image an environment runs. Pure: the stack program reads the promoted stack's `imageTag` output first
 * (stacks/references.ts) and hands it in.
 *
 * - `helium:imageOverride` ({ tag, reason }) wins over everything: the rollback pin. The promoted stack is still
 *   read so the outputs can say what promotion would deploy, but a missing or bad promoted tag is no error:
 *   a rollback must not depend on staging being healthy.
 * - otherwise `helium:promoteFrom`: exactly the tag that stack exports (once its services ran it healthy);
 * - otherwise `helium:imageTag`.
 * `pulumi config rm helium:imageOverride` returns to promotion (or to imageTag).
 */
import type { EnvironmentConfig } from "../config/environment";
import { imageTagOrDigest } from "../config/primitives";
import type { Problem } from "../lib/input-error";
import { referenceKey } from "./references";
import type { ImageSelection } from "./types/image";

/** The parts of an environment's config that choose the image (keys that failed validation are absent). */
export type ImageConfig = Pick<Partial<EnvironmentConfig>, "promoteFrom" | "imageTag" | "imageOverride">;

const isTag = (value: unknown): value is string => imageTagOrDigest.safeParse(value).success;

/**
 * Chooses the image. `promotedTag` is the promoted stack's `imageTag` output (undefined without promoteFrom, or
 * when the stack exports none). Returns the selection, or the problems that prevent one.
 */
export function selectImage(
  config: ImageConfig,
  promotedTag: unknown,
): { readonly selection?: ImageSelection; readonly problems: readonly Problem[] } {
  const promoteFrom = config.promoteFrom !== undefined ? { promoteFrom: config.promoteFrom } : {};
  if (config.imageOverride !== undefined) {
    const withoutOverride =
      config.promoteFrom !== undefined ? (isTag(promotedTag) ? promotedTag : null) : (config.imageTag ?? null);
    return {
      selection: {
        source: "override",
        tag: config.imageOverride.tag,
        ...promoteFrom,
        withoutOverride,
        reason: config.imageOverride.reason,
      },
      problems: [],
    };
  }
  if (config.promoteFrom !== undefined) {
    if (isTag(promotedTag))
      return { selection: { source: "promotion", tag: promotedTag, ...promoteFrom }, problems: [] };
    return {
      problems: [
        {
          key: referenceKey(config.promoteFrom, "helium:promoteFrom", "imageTag"),
          value: promotedTag,
          allowed: `an image tag or digest that ${config.promoteFrom} exports once its services ran it healthy; deploy it first, or set helium:imageTag instead of helium:promoteFrom, or pin an image with helium:imageOverride`,
        },
      ],
    };
  }
  if (config.imageTag !== undefined) return { selection: { source: "config", tag: config.imageTag }, problems: [] };
  // Neither key: the schema's rule reports it (config/environment.ts); there is nothing to add.
  return { problems: [] };
}

/** The warning printed with every preview and up while an override is in place; undefined otherwise. */
export function imageOverrideNotice(stack: string, selection: ImageSelection): string | undefined {
  if (selection.source !== "override") return undefined;
  const instead =
    selection.promoteFrom !== undefined
      ? `promotion from ${selection.promoteFrom} would deploy ${selection.withoutOverride ?? "nothing (it exports no valid imageTag)"}`
      : `helium:imageTag is ${selection.withoutOverride ?? "unset"}`;
  return `helium:imageOverride pins stack ${stack} to image ${selection.tag} (${instead}); reason: ${selection.reason ?? ""}. Run 'pulumi config rm helium:imageOverride' to return.`;
}
