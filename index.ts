/**
 * Pulumi entry point: config → resolved model → components → outputs (stacks/index.ts). The stack's role
 * comes from `helium:role` in its config; bad input fails with every problem before anything is registered.
 */
import { main } from "./stacks";

export = main();
