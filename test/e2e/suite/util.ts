// Helpers for suites running inside the extension host (real `vscode` API).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

export const env = {
  workspace: process.env.E2E_WORKSPACE ?? '',
  extensionsDir: process.env.E2E_EXTENSIONS_DIR ?? '',
  rpcDir: process.env.E2E_RPC_DIR ?? '',
  extensionId: process.env.E2E_EXTENSION_ID ?? 'statefulset-studio.statefulset-studio',
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned), or fails after `timeoutMs` with `what` and the last value. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500)}`);
    await sleep(everyMs);
  }
}

async function rpc<T>(request: { op: 'screenshot'; name: string; publish?: boolean } | { op: 'eval'; expression: string } | { op: 'click'; selector: string; button?: 'left' | 'right' }, what: string): Promise<T> {
  const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(env.rpcDir, `${token}.req.tmp`), JSON.stringify(request));
  renameSync(join(env.rpcDir, `${token}.req.tmp`), join(env.rpcDir, `${token}.req`));
  const done = join(env.rpcDir, `${token}.done`);
  await waitFor(() => existsSync(done), what, 30_000, 100);
  const answer = JSON.parse(readFileSync(done, 'utf8')) as { ok: boolean; value?: T; error?: string };
  rmSync(done, { force: true });
  if (!answer.ok) throw new Error(`${what}: ${answer.error}`);
  return answer.value as T;
}

/** True when the harness drives a browser (code-server); false under @vscode/test-electron. */
export const hasBrowser = () => Boolean(env.rpcDir);

/** Asks the harness for a screenshot of the whole workbench, saved as test-results/e2e/<suite>/<name>.png.
 *  publish: also the README's and the walkthrough's picture docs/images/<name>.png: the harness keeps it in
 *  test-results/e2e/<suite>/published/ when the whole session passed (so the pictures are always of the current
 *  extension) and `npm run screenshots` copies it to docs/images/; notifications are cleared first. Returns the file, or '' where there is no browser (desktop VS Code through test-electron). */
export async function screenshot(name: string, o: { publish?: boolean } = {}): Promise<string> {
  if (!hasBrowser()) return '';
  if (o.publish) {
    await vscode.commands.executeCommand('notifications.clearAll');
    await sleep(300); // let the workbench repaint
  }
  return rpc<string>({ op: 'screenshot', name, publish: o.publish }, `screenshot ${name}`);
}

/** Evaluates a JavaScript expression in the workbench page (the DOM the user sees) and returns its JSON value,
 *  e.g. workbench<string[]>(`[...document.querySelectorAll('.monaco-list-row')].map(e => e.textContent)`).
 *  Throws where there is no browser; check hasBrowser() first. */
export async function workbench<T>(expression: string): Promise<T> {
  if (!hasBrowser()) throw new Error('no browser: the workbench DOM is only reachable under code-server');
  return rpc<T>({ op: 'eval', expression }, `workbench eval ${expression.slice(0, 60)}`);
}

/** A real mouse click in the workbench on the first element matching a Playwright selector
 *  (e.g. '.monaco-list-row:has-text("StatefulSets") .monaco-tl-twistie'). Throws where there is no browser. */
export async function click(selector: string, button: 'left' | 'right' = 'left'): Promise<void> {
  if (!hasBrowser()) throw new Error('no browser: the workbench DOM is only reachable under code-server');
  await rpc<boolean>({ op: 'click', selector, button }, `click ${selector.slice(0, 60)}`);
}

/** Writes `text` to <workspace>/<rel> and opens it in an editor (language from the extension: .yaml → yaml). */
export async function openFile(rel: string, text: string): Promise<vscode.TextEditor> {
  const file = join(env.workspace, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'statefulset-studio');
}

/** Position of the first occurrence of `needle` in the document (plus `delta` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  if (i < 0) throw new Error(`"${needle}" not found in ${doc.uri.fsPath}`);
  return doc.positionAt(i + delta);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

const activeExtensions = () => vscode.extensions.all.filter((e) => e.isActive).map((e) => e.id);

/** Is this the error VS Code rejects a cancelled request with ("Canceled", name and message)? */
export function isCancellation(e: unknown): boolean {
  return e instanceof Error && (e.name === 'Canceled' || e.message === 'Canceled' || e instanceof vscode.CancellationError);
}

/**
 * The code actions at `range`, asked the way the editor's light bulb asks. VS Code itself cancels a code action
 * request (vscode.executeCodeActionProvider rejects with "Canceled") when, while it runs, the document's text changes
 * or the set of code action providers for the document changes: another extension registering one as it activates
 * late on a loaded machine (code-server's built-ins activate on onStartupFinished). Our language server never
 * cancels a code action (its handler answers at once) and the language client returns null, not an error, on
 * cancellation; the editor's light bulb then simply asks again, and so does this, while `timeoutMs` lasts.
 * Each cancellation is logged with the extensions that became active meanwhile.
 */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string, timeoutMs = 30_000): Promise<{ actions: vscode.CodeAction[]; cancelled: number }> {
  const deadline = Date.now() + timeoutMs;
  let cancelled = 0;
  for (;;) {
    const before = activeExtensions();
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
      return { actions: actions ?? [], cancelled };
    } catch (e) {
      if (!isCancellation(e) || Date.now() > deadline) throw e;
      cancelled++;
      const now = activeExtensions().filter((id) => !before.includes(id));
      console.log(`[codeActions] the editor cancelled the code action request (${cancelled}); extensions activated meanwhile: ${now.join(', ') || 'none'}; asking again`);
      await sleep(100);
    }
  }
}
