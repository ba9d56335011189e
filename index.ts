/**
 * Pulumi entry point. The stack name picks the program in stacks/ (shared, staging, production, local);
 * an unknown stack name fails with the list of known stacks before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { runStack } from "./stacks";

export = runStack(pulumi.getStack());
