/** The image an environment runs: data the resolve step (model/image.ts) builds and StackReferences carry. */

/** Where the running image tag comes from. */
export type ImageSource = "promotion" | "config" | "override";

/** The image an environment runs and why; exported as the `imageSelection` stack output. */
export interface ImageSelection {
  readonly source: ImageSource;
  /** The tag or `sha256:` digest every service runs. */
  readonly tag: string;
  /** `helium:promoteFrom`, when set. */
  readonly promoteFrom?: string;
  /**
   * Override only: what promotion (or `helium:imageTag`) would deploy once the override is removed; null when
   * the promoted stack exports no valid tag.
   */
  readonly withoutOverride?: string | null;
  /** Override only: `helium:imageOverride.reason`. */
  readonly reason?: string;
}
