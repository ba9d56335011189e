/**
 * The resolved model (one application environment): plain data produced by the pure resolve step (model/*.ts) from validated
 * config and the referenced stacks' outputs, and consumed by components. Every physical name, CIDR,
 * priority, port, key and threshold is decided in the resolve step; components derive nothing that can fail.
 * Nothing here is a Pulumi Output.
 */
import type { EntryMode } from "../../lib/platform";
import type { ImageSelection } from "./image";
import type { ApiGatewayModel, EdgeModel } from "./edge";
import type { ObservabilityModel } from "./observability";
import type { RegionModel } from "./region";

/** One application environment, resolved. */
export interface EnvironmentModel {
  readonly stack: string;
  readonly environment: string;
  readonly production: boolean;
  /** `aws:region`: providers default to it; every regional resource names its own region. */
  readonly homeRegion: string;
  readonly account: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  /** The image tag or digest every service runs. */
  readonly imageTag: string;
  /** Where `imageTag` came from: promotion, config or the rollback override (model/image.ts). */
  readonly imageSelection: ImageSelection;
  readonly protect: boolean;
  /** Provider default tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly regions: readonly RegionModel[];
  /** How traffic enters: Global Accelerator (`edge`) or API Gateway (`apiGateway`). */
  readonly entry: EntryMode;
  /** The accelerator; built only with entry `accelerator`. */
  readonly edge: EdgeModel;
  /** Present exactly when entry is `apiGateway`. */
  readonly apiGateway?: ApiGatewayModel;
  readonly observability: ObservabilityModel;
}
