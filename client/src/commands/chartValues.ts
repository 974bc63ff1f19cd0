// Values for This Chart…: how the language server renders the Helm chart of the active file — which values file
// goes with values.yaml, the release name, the namespace and --set values — written to the workspace setting
// statefulsetStudio.helm.charts under the chart's folder (relative to its workspace folder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as prompts from '../ui/prompts';
import type { Command } from './context';
import { chartRootOf } from '../../../server/src/sources/helm/chartRoot';


interface ChartSetting {
  release?: string;
  namespace?: string;
  values?: string[];
  set?: string[];
}

export const chartValues: Command = {
  id: 'statefulsetStudio.chartValues',
  run: async (_c, uri?: vscode.Uri | string) => {
    const target = uri ? (typeof uri === 'string' ? vscode.Uri.parse(uri) : uri) : vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') throw new Error('Open a file of a Helm chart first (a template or a values file)');
    const chart = chartRootOf(target.fsPath);
    if (!chart) throw new Error(`${vscode.workspace.asRelativePath(target)} is not inside a Helm chart (no Chart.yaml above it)`);
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(chart));
    const key = folder ? path.relative(folder.uri.fsPath, chart).split(path.sep).join('/') || '.' : chart;
    const config = vscode.workspace.getConfiguration('statefulsetStudio', folder?.uri);
    const all = { ...(config.get<Record<string, ChartSetting>>('helm.charts') ?? {}) };
    const current: ChartSetting = all[key] ?? {};
    const files = fs.readdirSync(chart).filter((n) => /^values.*\.ya?ml$/.test(n) && n !== 'values.yaml').sort();
    const values = await prompts.quickPick(
      [
        { label: 'values.yaml only', description: 'the chart\'s defaults', value: [] as string[] },
        ...files.map((f) => ({ label: `values.yaml + ${f}`, description: current.values?.includes(f) ? 'current' : undefined, value: [f] })),
      ],
      { title: `Values for ${path.basename(chart)}: which values file?` },
    );
    if (!values) return undefined;
    const release = await prompts.inputBox({ prompt: `Release name for ${path.basename(chart)}`, value: current.release ?? config.get<string>('helm.releaseName') ?? 'release-name', validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 53 ? undefined : 'A release name: lowercase letters, digits and -, at most 53 characters') });
    if (release === undefined) return undefined;
    const namespace = await prompts.inputBox({ prompt: `Namespace ${path.basename(chart)} is installed in`, value: current.namespace ?? config.get<string>('helm.namespace') ?? 'default', validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'A namespace name: lowercase letters, digits and -') });
    if (namespace === undefined) return undefined;
    const set = await prompts.inputBox({ prompt: '--set values, comma-separated (empty: none)', value: (current.set ?? []).join(','), validateInput: (v) => (v.trim() === '' || v.split(',').every((s) => /^[^=\s]+=.*$/.test(s.trim())) ? undefined : 'KEY=VALUE, separated by commas') });
    if (set === undefined) return undefined;
    const setting: ChartSetting = { release, namespace, values };
    const sets = set.split(',').map((s) => s.trim()).filter(Boolean);
    if (sets.length) setting.set = sets;
    all[key] = setting;
    await config.update('helm.charts', all, folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global);
    return { chart: key, setting };
  },
};
