import type { SharedStackConfig } from "../config/stacks";
import type { StackOutputs } from "./index";

export function sharedStack(homeRegion: string, config: SharedStackConfig): StackOutputs {
  return { homeRegion, domain: config.domain };
}
