// Compare Live Manifest with File…: VS Code diff of the live object and a workspace file.
import * as vscode from 'vscode';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';
import { liveManifestDocument } from './openManifest';

export const compareWithFile: Command = {
  id: 'statefulsetStudio.compareWithFile',
  run: async (c: CommandContext, t?: Target, file?: vscode.Uri) => {
    const uri = await liveManifestDocument(c, t);
    if (!uri) return;
    let target = file;
    if (!target) {
      const yamls = vscode.workspace.textDocuments.filter((d) => d.languageId === 'yaml' && d.uri.scheme !== 'statefulset-studio');
      const active = vscode.window.activeTextEditor?.document;
      if (active && active.languageId === 'yaml' && active.uri.scheme !== 'statefulset-studio' && yamls.length <= 1) target = active.uri;
      else if (yamls.length) target = await prompts.quickPick(yamls.map((d) => ({ label: vscode.workspace.asRelativePath(d.uri), value: d.uri })), { title: 'Compare the live manifest with which file?' });
      else {
        const picked = await vscode.window.showOpenDialog({ filters: { YAML: ['yaml', 'yml'] }, canSelectMany: false });
        target = picked?.[0];
      }
    }
    if (!target) return;
    await vscode.commands.executeCommand('vscode.diff', uri, target, `live ↔ ${vscode.workspace.asRelativePath(target)}`);
  },
};
