// A read-only document kept up to date while it is open (Describe, Logs): its content is re-rendered on
// demand (throttled), and whatever feeds it (streams, timers, model subscriptions) is disposed once the
// document's tab is closed or the document itself is closed.
import * as vscode from 'vscode';
import type { VirtualDocuments } from './documents';

export interface LiveDocumentSource {
  /** the text now */
  render(): string | Promise<string>;
  /** start feeding: call update() when the text may have changed; returns what stops it */
  start(update: () => void): () => void;
}

const open = new Map<string, () => void>();

/** Open (or re-open) a live document at `path`; returns its uri. */
export async function openLiveDocument(docs: VirtualDocuments, path: string, src: LiveDocumentSource, o: { throttleMs?: number; language?: string } = {}): Promise<vscode.Uri> {
  const first = await src.render();
  const uri = docs.put(path, first);
  const key = uri.toString();
  open.get(key)?.(); // the previous feed of the same document
  let timer: NodeJS.Timeout | undefined;
  let rendering = false;
  let again = false;
  let stopped = false;
  const flush = async () => {
    timer = undefined;
    if (stopped) return;
    if (rendering) {
      again = true;
      return;
    }
    rendering = true;
    try {
      docs.put(path, await src.render());
    } catch (e) {
      docs.put(path, `${e instanceof Error ? e.message : String(e)}\n`);
    } finally {
      rendering = false;
      if (again && !stopped) {
        again = false;
        timer = setTimeout(flush, o.throttleMs ?? 250);
      }
    }
  };
  const update = () => {
    if (!timer && !stopped) timer = setTimeout(flush, o.throttleMs ?? 250);
  };
  const stopFeed = src.start(update);
  const subs: vscode.Disposable[] = [];
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    stopFeed();
    for (const d of subs) d.dispose();
    open.delete(key);
  };
  open.set(key, stop);
  subs.push(
    vscode.workspace.onDidCloseTextDocument?.((d) => {
      if (d.uri.toString() === key) stop();
    }) ?? { dispose() {} },
  );
  const tabs = (vscode.window as { tabGroups?: typeof vscode.window.tabGroups }).tabGroups;
  if (tabs?.onDidChangeTabs) {
    subs.push(
      tabs.onDidChangeTabs((e) => {
        for (const t of e.closed) {
          const input = t.input as { uri?: vscode.Uri } | undefined;
          if (input?.uri?.toString() !== key) continue;
          // closed here; still open in another group?
          const still = tabs.all.some((g) => g.tabs.some((x) => (x.input as { uri?: vscode.Uri } | undefined)?.uri?.toString() === key));
          if (!still) stop();
        }
      }),
    );
  }
  const doc = await vscode.workspace.openTextDocument?.(uri);
  if (doc && o.language) await vscode.languages.setTextDocumentLanguage?.(doc, o.language);
  await vscode.window.showTextDocument(doc ?? uri, { preview: false });
  return uri;
}

/** Feeds still running (tests: none after the documents are closed). */
export function liveDocumentCount(): number {
  return open.size;
}

/** Stop every feed (the explorer is disposed). */
export function stopAllLiveDocuments(): void {
  for (const stop of [...open.values()]) stop();
}
