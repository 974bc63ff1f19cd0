// Open Sample StatefulSet (the walkthrough's first step): an untitled copy of the shipped examples/broken/web.yaml,
// a StatefulSet and its Service with deliberate mistakes, so diagnostics, hovers and quick fixes show at once.
// An untitled copy: editing it never touches the installed extension's files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Command } from './context';

/** dist/client.js → <extension>/examples/broken/web.yaml (shipped in the VSIX). */
export const SAMPLE = join(__dirname, '..', 'examples', 'broken', 'web.yaml');

export const openSample: Command = {
  id: 'statefulsetStudio.openSample',
  run: async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: readFileSync(SAMPLE, 'utf8') });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc.uri.toString();
  },
};
