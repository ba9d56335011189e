/**
 * The one place that touches Pulumi runtime internals. Everything else in offline/ uses public APIs
 * (`pulumi.runtime.setMocks`, `getMonitor`, `Output`) and imports what it needs of the internals from here,
 * so an SDK upgrade that moves them breaks one file. Each internal says why it is needed.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Wire-format sentinels of `runtime/rpc` (reachable as `pulumi.runtime.*`, but the protocol's, not an API):
 * an object `{ [specialSigKey]: specialSecretSig, value }` is how mocks receive a secret input; the plan
 * redacts values marked this way.
 */
export const { specialSigKey, specialSecretSig } = pulumi.runtime;

/** What a RegisterResourceRequest tells the engine and mocks are not told (MockResourceArgs lacks it). */
export interface RegistrationDetails {
  readonly parent: string | null;
  readonly protect: boolean;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

// The subset of the gRPC RegisterResourceRequest/Response (generated protobuf classes, untyped here) we read.
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
}
type RegisterCallback = (err: unknown, response: RegisterResponse | undefined) => void;
interface MonitorWithRegister {
  registerResource(req: RegisterRequest, callback: RegisterCallback): Promise<void>;
}

export interface RegistrationHooks {
  /** Runs just before the mock monitor calls `mocks.newResource` for this request (synchronously). */
  before(details: RegistrationDetails): void;
  /** Runs once the monitor has answered with the resource's URN. */
  after(type: string, name: string, urn: string): void;
}

/**
 * Wraps the mock monitor's `registerResource`: mocks see type, name and inputs only, but parent, protect
 * and dependencies are in the request, and the URN is in the response. The mock monitor calls
 * `mocks.newResource` synchronously at the start of `registerResource`, so `before` pairs with it.
 */
export function interceptRegistrations(hooks: RegistrationHooks): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
      propertyDependencies[key] = value.getUrnsList();
    });
    hooks.before({
      parent: req.getParent() || null,
      protect: req.getProtect(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
    });
    return original(req, (err, response) => {
      if (!err && response) hooks.after(req.getType(), req.getName(), response.getUrn());
      callback(err, response);
    });
  };
}

interface RuntimeWithRpcWait {
  waitForRPCs(): Promise<void>;
}

/**
 * Waits until every pending registration, invoke and apply has finished. `waitForRPCs` is exported by the
 * runtime but marked internal (absent from the .d.ts); it is the drain `pulumi.runtime.disconnect()` uses,
 * without closing the monitor, so in-process unit tests can drain between tests.
 */
export function waitForRpcs(): Promise<void> {
  return (pulumi.runtime as unknown as RuntimeWithRpcWait).waitForRPCs();
}
