export declare const HELM_PACKAGE: string;
export declare const HELM_PACKAGE_VERSION: string;
export declare const MIN_MAJOR: number;
export interface HelmVersion { major: number; minor: number; version: string }
export type FoundHelm =
  | { path: string; version: HelmVersion | undefined; source: 'HELM' | 'PATH' | 'cache'; reason?: undefined }
  | { path: undefined; reason: string; version?: undefined; source?: undefined };
export declare function helmVersion(bin: string): HelmVersion | undefined;
export declare function cachedHelmPath(): string;
/** Looks only, never installs. */
export declare function findHelm(): FoundHelm;
/** Finds helm, installing the npm-shipped one into the cache when there is none. */
export declare function provisionHelm(opts?: { log?: (s: string) => void }): FoundHelm;
