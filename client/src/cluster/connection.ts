// One connection = one kubeconfig context + one namespace (or all) + the live model over it.
// Switching context or namespace replaces the connection. Plain Node: no vscode here.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from './http';
import { contextNamespace, loadKubeConfig, withContext, type KubeconfigSource } from './kubeconfig';
import { Logger } from './log';
import { ClusterModel } from './model';
import { wireDisks } from './diskWiring';
import type { DiskOptions, DiskSource } from './disks';
import type { BackoffOptions } from './reflector';

export const ALL_NAMESPACES = '*';

export interface ConnectionOptions {
  source?: KubeconfigSource;
  /** a kubeconfig already loaded (tests) */
  kubeConfig?: KubeConfig;
  context?: string;
  /** a namespace name, ALL_NAMESPACES, or undefined for the context's namespace */
  namespace?: string;
  logger?: Logger;
  backoff?: BackoffOptions;
  coalesceMs?: number;
  /** PVC usage polling and thresholds (settings statefulsetStudio.disks.*) */
  disks?: DiskOptions;
}

export class ClusterConnection {
  readonly kc: KubeConfig;
  readonly http: KubeHttp;
  readonly model: ClusterModel;
  /** PVC usage and snapshots; polls only while setVisible(true) */
  readonly disks: DiskSource;
  readonly log: Logger;
  readonly context: string;
  /** undefined = all namespaces */
  readonly namespace: string | undefined;
  readonly files: string[];

  constructor(opts: ConnectionOptions = {}) {
    this.log = opts.logger ?? new Logger();
    let kc: KubeConfig;
    let files: string[] = [];
    if (opts.kubeConfig) kc = opts.kubeConfig;
    else ({ kc, files } = loadKubeConfig(opts.source));
    this.files = files;
    this.kc = opts.context && opts.context !== kc.getCurrentContext() ? withContext(kc, opts.context) : kc;
    this.context = this.kc.getCurrentContext();
    this.namespace = opts.namespace === ALL_NAMESPACES ? undefined : (opts.namespace ?? contextNamespace(this.kc));
    this.http = new KubeHttp(this.kc, this.log);
    this.model = new ClusterModel(this.http, this.log, { namespace: this.namespace, backoff: opts.backoff, coalesceMs: opts.coalesceMs });
    this.disks = wireDisks(this.http, this.log, this.model, { backoff: opts.backoff, ...opts.disks });
  }

  get contexts(): string[] {
    return this.kc.getContexts().map((c) => c.name);
  }

  get server(): string {
    return this.http.server;
  }

  start(): this {
    this.log.info(`connecting to context "${this.context}" (${this.server}), namespace ${this.namespace ?? 'all'}`);
    this.model.start();
    return this;
  }

  stop(): void {
    this.disks.stop();
    this.model.stop();
  }
}
