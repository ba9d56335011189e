/**
 * The resolve step of the shared stack: its config becomes plain data naming every repository, region,
 * environment and role it creates. Pure; problems are thrown together as one InputError.
 */
import type { SharedConfig } from "../config/shared";
import { Problems, keyPath } from "../lib/input-error";
import { awsNameError } from "../lib/naming";

export interface RegisteredEnvironmentModel {
  readonly name: string;
  /** Only GitHub Actions runs on this branch may assume the deploy role. */
  readonly branch: string;
  readonly pushImages: boolean;
  readonly addressLane: number;
  readonly deployRoleName: string;
}

export interface SharedModel {
  readonly stack: string;
  readonly homeRegion: string;
  readonly domain: string;
  /** Adopt this zone instead of creating one. */
  readonly hostedZoneId?: string;
  /** The home region first, then every replication region. */
  readonly imageRegions: readonly string[];
  readonly repositories: readonly string[];
  readonly keepLastImages: number;
  readonly githubRepository: string;
  readonly environments: readonly RegisteredEnvironmentModel[];
  readonly previewRoleName: string;
}

export function resolveShared(stack: string, homeRegion: string, config: SharedConfig): SharedModel {
  const problems = new Problems();
  const environments = Object.entries(config.environments).map(([name, e]): RegisteredEnvironmentModel => ({
    name,
    branch: e.branch,
    pushImages: e.pushImages,
    addressLane: e.addressLane,
    deployRoleName: `helium-deploy-${name}`,
  }));
  for (const e of environments) {
    const error = awsNameError("iamRole", e.deployRoleName);
    if (error !== undefined) problems.add(keyPath("helium:environments", e.name), e.deployRoleName, error);
  }
  problems.throwIfAny(`stack "${stack}"`);
  return {
    stack,
    homeRegion,
    domain: config.domain,
    ...(config.hostedZoneId !== undefined ? { hostedZoneId: config.hostedZoneId } : {}),
    imageRegions: [homeRegion, ...config.replicationRegions.filter((r) => r !== homeRegion)],
    repositories: config.repositories,
    keepLastImages: config.keepLastImages,
    githubRepository: config.github.repository,
    environments,
    previewRoleName: "helium-preview",
  };
}
