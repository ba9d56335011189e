import type { ResolvedAwsEnvironment } from "../config/stacks";
import type { StackOutputs } from "./index";

export function environmentStack(config: ResolvedAwsEnvironment): StackOutputs {
  return { environment: config.environment };
}
