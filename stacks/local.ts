import type { LocalStackConfig } from "../config/kubernetes";
import type { StackOutputs } from "./index";

export function localStack(config: LocalStackConfig): StackOutputs {
  return { namespace: config.namespace };
}
