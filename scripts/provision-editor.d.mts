export declare const NODE_PACKAGE: string;
export declare const NODE_VERSION: string;
export declare const CODE_SERVER_VERSION: string;
export declare function cacheDir(): string;
export interface EditorEnv {
  /** The cache folder everything was installed in. */
  cache: string;
  /** Node 24 binary. */
  node: string;
  /** Node 24 folder (bin/, include/). */
  nodeHome: string;
  /** code-server's entry script (run it with `node`). */
  codeServer: string;
  /** Debian's Chromium. */
  chromium: string;
}
/** browser: false skips Debian's chromium (and fonts-liberation): `npm start` needs only code-server. */
export declare function provisionEditor(opts?: { log?: (s: string) => void; browser?: boolean }): Promise<EditorEnv>;
/** TMPDIR and NODE_COMPILE_CACHE of provisioning's own programs: inside the cache folder `dir`. */
export declare function scratchEnv(dir: string): { TMPDIR: string; NODE_COMPILE_CACHE: string };
