/** Builds the VSIX (minified bundle, allowlisted files) and returns its absolute path. */
export declare function packageVsix(opts?: { out?: string; log?: (s: string) => void }): Promise<string>;
