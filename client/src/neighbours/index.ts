// Good neighbour (issue 22): living beside Red Hat YAML and Microsoft Kubernetes. Called from extension.ts.
//   - yamlNeighbour.ts: our labelled schema contributor with the YAML extension (one answer per question on
//     StatefulSet documents), and which YAML syntax errors are already reported by it;
//   - kubernetesNeighbour.ts: the Kubernetes extension's kubeconfig and context followed by our explorer, our ordinal
//     rows under its StatefulSet nodes.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { withoutDoubledSyntax } from './yamlSchema';
import { YamlNeighbour } from './yamlNeighbour';
import { KubernetesNeighbour } from './kubernetesNeighbour';
import type { Explorer } from '../explorer/explorer';

export interface Neighbours {
  yaml: YamlNeighbour;
  kubernetes: KubernetesNeighbour;
  /** Language client middleware: drops our YAML syntax diagnostics where Red Hat YAML reports them. */
  middleware: Middleware;
}

export function activateNeighbours(context: vscode.ExtensionContext, explorer: Explorer, log: (msg: string) => void): Neighbours {
  const yaml = new YamlNeighbour(log);
  const kubernetes = new KubernetesNeighbour(explorer, log);
  context.subscriptions.push(yaml, kubernetes);
  // the server's latest diagnostics per document, to publish again (filtered anew) when the YAML extension comes or goes
  const latest = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[]; next: (uri: vscode.Uri, d: vscode.Diagnostic[]) => void }>();
  const middleware: Middleware = {
    handleDiagnostics(uri, diagnostics, next) {
      if (diagnostics.length) latest.set(uri.toString(), { uri, diagnostics, next });
      else latest.delete(uri.toString());
      next(uri, withoutDoubledSyntax(diagnostics, yaml.reportsSyntax(uri)));
    },
  };
  context.subscriptions.push(
    yaml.onDidChange(() => {
      for (const e of latest.values()) e.next(e.uri, withoutDoubledSyntax(e.diagnostics, yaml.reportsSyntax(e.uri)));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => latest.delete(d.uri.toString())),
  );
  return { yaml, kubernetes, middleware };
}
