// Red Hat YAML (redhat.vscode-yaml), when installed: registers our labelled schema contributor with its API so that
// StatefulSet documents get one completion list, one hover and one set of Problems (ours), and tells the language
// client's middleware when the YAML extension reports YAML syntax errors itself (then ours are dropped). Works
// whichever extension activates first, and follows the YAML extension being installed, enabled, disabled or
// removed while running (vscode.extensions.onDidChange). The logic is in yamlSchema.ts (plain functions).
import * as vscode from 'vscode';
import { SCHEMA_SCHEME, STATEFULSET_LABEL, schemaContentFor, schemaUriFor } from './yamlSchema';

export const YAML_EXTENSION_ID = 'redhat.vscode-yaml';
export const KUBERNETES_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

/** The part of the YAML extension's exported API we use (its schema-extension-api.ts). */
interface YamlExtensionApi {
  registerContributor(schema: string, requestSchema: (resource: string) => string | undefined, requestSchemaContent: (uri: string) => string | undefined, label?: string): boolean;
}

export class YamlNeighbour implements vscode.Disposable {
  /** The YAML extension object we registered with (a new one after it is reinstalled or re-enabled). */
  private registeredWith?: vscode.Extension<unknown>;
  private registering?: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the YAML extension starts or stops serving our documents. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: (msg: string) => void) {
    this.disposables.push(this.changed, vscode.extensions.onDidChange(() => this.sync()));
    this.sync();
  }

  /** Whether the YAML extension is installed, enabled and has our contributor. */
  get active(): boolean {
    return this.registeredWith !== undefined && vscode.extensions.getExtension(YAML_EXTENSION_ID) !== undefined;
  }

  /** Whether the YAML extension reports YAML syntax errors for this document (so ours would be a second entry). */
  reportsSyntax(uri: vscode.Uri): boolean {
    if (!this.active) return false;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && doc.languageId !== 'yaml') return false; // it serves only the yaml language (not helm templates)
    return vscode.workspace.getConfiguration('yaml', uri).get<boolean>('validate', true) !== false;
  }

  private sync(): void {
    const ext = vscode.extensions.getExtension<YamlExtensionApi>(YAML_EXTENSION_ID);
    if (!ext) {
      if (this.registeredWith) {
        this.log('Red Hat YAML was disabled or removed: our YAML syntax errors are shown again');
        this.registeredWith = undefined;
        this.changed.fire();
      }
      return;
    }
    if (this.registeredWith === ext || this.registering) return;
    this.registering = this.register(ext).finally(() => {
      this.registering = undefined;
    });
  }

  private async register(ext: vscode.Extension<YamlExtensionApi>): Promise<void> {
    let api: YamlExtensionApi | undefined;
    try {
      api = ext.isActive ? ext.exports : await ext.activate();
    } catch (e) {
      this.log(`Red Hat YAML did not activate (${e instanceof Error ? e.message : String(e)}): StatefulSet files may show its answers beside ours`);
      return;
    }
    if (!api || typeof api.registerContributor !== 'function') {
      this.log(`Red Hat YAML ${String(ext.packageJSON?.version ?? '')} has no schema contributor API: StatefulSet files may show its answers beside ours`);
      return;
    }
    const kubernetes = () => vscode.extensions.getExtension(KUBERNETES_EXTENSION_ID) !== undefined;
    const textOf = (resource: string) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource)?.getText();
    const requestSchema = (resource: string): string | undefined => {
      const text = textOf(resource);
      return text === undefined ? undefined : schemaUriFor(text, { kubernetes: kubernetes() });
    };
    // false: a contributor of this name exists already (an earlier activation of ours in this extension host)
    const fresh = api.registerContributor(SCHEMA_SCHEME, requestSchema, schemaContentFor, STATEFULSET_LABEL);
    this.registeredWith = ext;
    this.log(`Red Hat YAML ${String(ext.packageJSON?.version ?? '')}: ${fresh ? 'registered' : 'already has'} our schema contributor (StatefulSet files: our completion, hover and checks; YAML syntax errors: Red Hat YAML's)`);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
