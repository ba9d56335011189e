/**
 * The Observability component now lives in components/observability/, one module per concern. This file
 * keeps the old import path working while stacks/ moves to the new one; it holds no code of its own.
 */
export * from "./observability/Observability";
