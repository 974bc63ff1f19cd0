// The LSP wiring: a thin layer that feeds open documents to the engine and publishes its results.
import { fileURLToPath } from 'node:url';
import { FileChangeType, TextDocumentSyncKind, type Connection, type InitializeResult, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { FileAnalyzer, fileDiagnostics, objectsOf, type RuleSettings } from '../engine/analyzer';
import { fullCollection, IdleCollector } from './idleCollect';
import { DocumentStore } from './documentStore';
import type { RuleEnvironment } from '../rules/framework';
import { editorSettings } from './editorSeverities';
import { LiveObjects } from './liveObjects';
import { WorkspaceIndex } from './workspaceIndex';
import type { Diagnostic } from '../engine/diagnostic';
import { complete } from '../engine/completion';
import { hover } from '../engine/hover';
import { quickFixes } from '../engine/quickfix';
import { targetVersion, type TargetVersion } from '../schema/versions';
import { LANGUAGE_FEATURE_CAPABILITIES, registerLanguageFeatures } from './languageFeatures';
import { sameJson } from './messageEncoder';
import { HELM_NOTIFICATION, HelmCharts, HelmValuesFeatures, valuesCompletion, type HelmAccess, type HelmSettings } from './helmCharts';
import { OverlayDiagnostics, withOverlayFindings } from '../sources/kustomize/lsp';

export const SERVER_NAME = 'statefulset-language-server';

export function startServer(connection: Connection): void {
  // open documents kept as their YAML documents: an edit touches only those it covers, and the analysis
  // takes them as they are (no string of the whole file per keystroke; documentStore.ts)
  const documents = new DocumentStore();
  const analyzers = new Map<string, FileAnalyzer>();
  const pending = new Set<string>();
  let scheduled = false;
  /** One full collection in the pause after a big file was read (idleCollect.ts). */
  const idle = new IdleCollector(fullCollection());
  const index = new WorkspaceIndex();
  const live = new LiveObjects();
  let settings: RuleSettings = editorSettings(undefined);
  let folders: string[] = [];
  // target Kubernetes version: the setting, else the connected cluster's (sent by the client), else the newest bundled
  let versionSetting: string | undefined;
  let clusterVersion: string | undefined;
  let target: TargetVersion = targetVersion();
  function updateTarget(): void {
    let t: TargetVersion | undefined;
    if (versionSetting) {
      try {
        t = targetVersion(versionSetting, 'setting');
      } catch (e) {
        connection.console.warn(`statefulsetStudio.kubernetesVersion: ${(e as Error).message}`);
      }
    }
    if (!t && clusterVersion) {
      try {
        t = targetVersion(clusterVersion, 'cluster');
      } catch {
        // a version string we do not understand: keep the default
      }
    }
    target = t ?? targetVersion();
    if (target.note) connection.console.info(target.note);
  }

  /**
   * Per open document, the environment its rules see: the same object on every edit, so findings that
   * depend on it are reused while its version stays the same (a new object would re-run the environment
   * rules of every document of the file on each keystroke).
   */
  const environments = new Map<string, RuleEnvironment>();
  function environment(uri: string): RuleEnvironment {
    let env = environments.get(uri);
    if (!env) {
      env = { workspace: (kind) => index.objects(kind, uri), live: (kind, ns, name) => live.get(kind, ns, name), version: () => index.versionExcluding(uri) * 1_000_000 + live.version, roots: folders };
      environments.set(uri, env);
    }
    return env;
  }

  /** Re-check open documents (settings, workspace or cluster changed), at most every 100 ms. */
  let refreshTimer: NodeJS.Timeout | undefined;
  let refreshExcept: Set<string> | undefined = new Set();
  function refreshAll(changedUri?: string): void {
    // a change in one file matters to the others; `undefined` means everything changed
    if (changedUri === undefined) refreshExcept = undefined;
    else if (refreshExcept && !refreshTimer) refreshExcept = new Set([changedUri]);
    else if (refreshExcept && !refreshExcept.has(changedUri)) refreshExcept = undefined;
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      const except = refreshExcept;
      refreshExcept = new Set();
      for (const d of documents.all()) if (!except?.has(d.uri)) schedule(d.uri);
    }, 100);
  }
  index.onDidChange((uri) => refreshAll(uri));
  // Kustomize overlays: files an overlay uses get its rendered findings (server/src/sources/kustomize/lsp.ts)
  const filePath = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
  const overlays = new OverlayDiagnostics({
    openText: (file) => documents.all().find((d) => filePath(d.uri) === file)?.getText(),
    roots: () => folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)),
    refresh: (files) => {
      for (const d of documents.all()) if (files.includes(filePath(d.uri) ?? '')) schedule(d.uri);
    },
    log: (m) => connection.console.info(m),
    live: (kind, ns, name) => live.get(kind, ns, name),
    liveVersion: () => live.version,
    ruleSettings: () => settings,
  });
  // Helm charts: files inside a chart get the findings of the chart rendered by helm (trusted workspaces only)
  const helm = new HelmCharts({
    connection,
    text: (uri) => {
      const d = documents.get(uri);
      return d && { text: d.getText(), version: d.version };
    },
    openUris: () => documents.all().map((d) => d.uri),
    republish: (uri) => schedule(uri),
    settings: () => settings,
    target: () => target,
    env: () => ({ workspace: () => [], live: (kind, ns, name) => live.get(kind, ns, name), roots: folders }),
    folders: () => folders,
  });
  const helmValues = new HelmValuesFeatures(helm, {
    text: (uri) => {
      const d = documents.get(uri);
      return d && { text: d.getText(), version: d.version };
    },
    openUris: () => documents.all().map((d) => d.uri),
  });
  /** What each open document was last published with: a refresh that finds the same findings sends nothing. */
  const published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

  function publish(uri: string, version: number, diagnostics: Diagnostic[]): void {
    published.set(uri, { version, diagnostics });
    void connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** A cold analysis (a file just opened) runs in slices of this many milliseconds. */
  const COLD_SLICE_MS = 40;
  /** Open documents whose first documents' findings were published before all of the file was read: their progress. */
  const coldProgress = new Map<string, Promise<WorkDoneProgressServerReporter | undefined>>();
  /** Requests waiting for a document to be analysed whole (see FeatureHost.analysed). */
  const analysedWaiters = new Map<string, Array<() => void>>();
  function endColdProgress(uri: string): void {
    void coldProgress.get(uri)?.then((r) => r?.done());
    coldProgress.delete(uri);
    for (const resolve of analysedWaiters.get(uri) ?? []) resolve();
    analysedWaiters.delete(uri);
  }

  /** The analyzer of an open document. */
  function analyzerOf(uri: string): FileAnalyzer {
    let analyzer = analyzers.get(uri);
    if (!analyzer) analyzers.set(uri, (analyzer = new FileAnalyzer()));
    return analyzer;
  }

  function analyzeNow(uri: string): void {
    const doc = documents.get(uri);
    if (!doc) return;
    const analyzer = analyzerOf(uri);
    let diagnostics: Diagnostic[];
    /** The workspace index's update, done after the publish (the client waits for that, not for this). */
    let indexed: (() => void) | undefined;
    try {
      const cold = !analyzer.started;
      const { file, complete, total } = analyzer.analyzeChunks(doc.chunks, cold ? performance.now() + COLD_SLICE_MS : Number.POSITIVE_INFINITY);
      if (!complete) {
        // a big file just opened: what its first documents say of themselves at once, everything once
        // all of it is read (rules that look at other documents wait for that); requests are answered
        // between the slices, and the client shows progress
        const done = `${file.documents.length} of ${total} documents`;
        const progress = coldProgress.get(uri);
        if (!progress) {
          publish(uri, doc.version, fileDiagnostics(file, { uri, settings, kubernetesVersion: target, localOnly: true }));
          const name = decodeURIComponent(uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf(':')) + 1));
          coldProgress.set(
            uri,
            // a client that refuses the progress token gets none (never an unhandled rejection)
            connection.window.createWorkDoneProgress().then(
              (r) => (r.begin(`Checking ${name}`, 0, done), r),
              () => undefined,
            ),
          );
        } else void progress.then((r) => r?.report(Math.floor((100 * file.documents.length) / total), done));
        schedule(uri);
        return;
      }
      // a file read in several slices (a big one): its garbage is collected in the next pause (idleCollect.ts)
      if (coldProgress.has(uri)) idle.request();
      endColdProgress(uri);
      diagnostics = helm.merge(uri, fileDiagnostics(file, { uri, env: environment(uri), settings, kubernetesVersion: target }));
      const own = filePath(uri);
      if (own && overlays.enabled) diagnostics = withOverlayFindings(diagnostics, overlays.diagnosticsFor(own));
      // the open text is what the workspace holds for this file now
      if (uri.startsWith('file:')) indexed = () => index.setObjects(uri, objectsOf(file, uri));
    } catch (e) {
      // never take the editor down: report the failure once, at the top of the file
      connection.console.error(`analysis failed for ${uri}: ${(e as Error).stack ?? e}`);
      diagnostics = [];
      analyzers.delete(uri); // start afresh next time
      endColdProgress(uri);
    }
    const last = published.get(uri);
    if (!(last && last.version === doc.version && last.diagnostics.length === diagnostics.length && last.diagnostics.every((d, i) => sameJson(d, diagnostics[i])))) {
      publish(uri, doc.version, diagnostics);
      firstPublished?.();
    }
    try {
      indexed?.();
    } catch (e) {
      connection.console.error(`workspace index update failed for ${uri}: ${(e as Error).stack ?? e}`);
    }
  }

  /** Coalesce bursts of changes: analyse each changed document once per turn of the event loop. */
  function schedule(uri: string): void {
    idle.activity();
    pending.add(uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const uris = [...pending];
      pending.clear();
      for (const u of uris) analyzeNow(u);
    });
  }

  connection.onInitialize((params): InitializeResult => {
    const opts = params.initializationOptions as
      | { rules?: RuleSettings; kubernetesVersion?: string; helm?: HelmAccess & HelmSettings; kustomize?: { enabled?: boolean; path?: string } }
      | undefined;
    if (opts?.rules) settings = editorSettings(opts.rules);
    if (opts?.helm) {
      helm.configure(opts.helm);
      helm.setAccess(opts.helm);
    }
    overlays.configure({ enabled: opts?.kustomize?.enabled === true, path: typeof opts?.kustomize?.path === 'string' ? opts.kustomize.path : undefined });
    if (typeof opts?.kubernetesVersion === 'string') {
      versionSetting = opts.kubernetesVersion;
      updateTarget();
    }
    folders = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '-'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        ...LANGUAGE_FEATURE_CAPABILITIES,
      },
      serverInfo: { name: SERVER_NAME, version: '0.1.0' },
    };
  });

  /**
   * The workspace scan waits for the first diagnostics (or a second without any document opened): the
   * first answer does not need it; rules that look up the workspace re-publish when it has read files.
   */
  let firstPublished: (() => void) | undefined;
  connection.onInitialized(() => {
    const paths = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    if (!paths.length) return;
    const timer = setTimeout(() => firstPublished?.(), 1000);
    firstPublished = () => {
      firstPublished = undefined;
      clearTimeout(timer);
      void index.scan(paths).then(() => connection.console.info(`workspace index: ${index.scanned} YAML files read`));
    };
  });

  connection.onDidChangeConfiguration((p) => {
    const section = (p.settings as { statefulsetStudio?: { rules?: RuleSettings; kubernetesVersion?: string; helm?: HelmSettings; kustomize?: { path?: string } } } | undefined)?.statefulsetStudio;
    settings = editorSettings(section?.rules);
    helm.configure(section?.helm);
    if (typeof section?.kustomize?.path === 'string') overlays.configure({ path: section.kustomize.path });
    overlays.recheck();
    versionSetting = typeof section?.kubernetesVersion === 'string' ? section.kubernetesVersion : undefined;
    updateTarget();
    refreshAll(undefined);
  });

  connection.onDidChangeWatchedFiles((p) => {
    const changed = p.changes.map((c) => filePath(c.uri)).filter((f): f is string => f !== undefined);
    overlays.filesChanged(changed);
    helm.filesChanged(p.changes.map((c) => c.uri));
    for (const f of changed) overlays.touched(f);
    for (const c of p.changes) {
      if (documents.get(c.uri)) continue; // the open editor's text wins
      helm.changedOnDisk(c.uri);
      if (c.type === FileChangeType.Deleted) index.remove(c.uri);
      else void index.readFile(c.uri);
    }
  });

  connection.onNotification(LiveObjects.NOTIFICATION, (p: { objects?: unknown[] }) => {
    if (!live.replace(Array.isArray(p?.objects) ? p.objects : [])) return; // the same StatefulSets: nothing to check again
    refreshAll(undefined);
    helm.refresh();
    overlays.recheck();
  });

  // the client enables overlay rendering (VS Code: once the workspace is trusted) and may name kubectl/kustomize
  connection.onNotification('statefulsetStudio/kustomize', (p: { enabled?: boolean; path?: string }) => {
    overlays.configure({ ...(typeof p?.enabled === 'boolean' ? { enabled: p.enabled } : {}), ...(typeof p?.path === 'string' ? { path: p.path } : {}) });
    for (const d of documents.all()) if (filePath(d.uri)) overlays.touched(filePath(d.uri)!, true);
  });

  connection.onNotification(HELM_NOTIFICATION, (p: HelmAccess) => helm.setAccess(p));

  connection.onNotification('statefulsetStudio/clusterVersion', (p: { gitVersion?: string | null }) => {
    clusterVersion = typeof p?.gitVersion === 'string' ? p.gitVersion : undefined;
    updateTarget();
    refreshAll(undefined);
  });

  documents.onDidOpen((e) => {
    index.opened(e.document.uri);
    schedule(e.document.uri);
    helm.touched(e.document.uri, true);
    const f = filePath(e.document.uri);
    if (f) overlays.touched(f, true);
  });
  documents.onDidChangeContent((e) => {
    schedule(e.document.uri);
    helm.touched(e.document.uri, false);
    const f = filePath(e.document.uri);
    if (f) overlays.touched(f);
  });
  documents.onDidClose((e) => {
    analyzers.delete(e.document.uri);
    environments.delete(e.document.uri);
    endColdProgress(e.document.uri);
    published.delete(e.document.uri);
    if (e.document.uri.startsWith('file:')) void index.closed(e.document.uri); // back to the disk version, or gone if outside the workspace
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    helm.closed(e.document.uri);
  });

  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    try {
      // a chart's values file: keys from its values.schema.json
      const values = valuesCompletion(helm, p.textDocument.uri, doc.getText(), p.position);
      if (values) return values;
      return complete(doc.getText(), p.position, target);
    } catch (e) {
      connection.console.error(`completion failed: ${(e as Error).stack ?? e}`);
      return [];
    }
  });

  /** The analysis of an open document, for the navigation features (the analyzer's cache makes it cheap). */
  function analysisOf(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    return analyzerOf(uri).analyzeChunks(doc.chunks).file;
  }
  const features = registerLanguageFeatures(connection, {
    analysis: analysisOf,
    // what the editor shows: the findings last published (computing them again would read the whole file)
    diagnostics: (uri) => published.get(uri)?.diagnostics ?? [],
    analysed: (uri) => {
      if (!documents.get(uri) || analyzers.get(uri)?.started) return Promise.resolve();
      schedule(uri);
      return new Promise((resolve) => {
        const waiting = analysedWaiters.get(uri);
        if (waiting) waiting.push(resolve);
        else analysedWaiters.set(uri, [resolve]);
      });
    },
    index,
    live,
    // a Helm values key: the template lines that read it
    extraDefinitions: (uri, pos) => helmValues.definition(uri, pos),
  });

  connection.onHover((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    try {
      const values = helmValues.hover(p.textDocument.uri, p.position);
      if (values) return values;
      return features.hover(p.textDocument.uri, p.position, hover(doc.getText(), p.position, target));
    } catch (e) {
      connection.console.error(`hover failed: ${(e as Error).stack ?? e}`);
      return null;
    }
  });

  // the documents the analysis parsed are handed over: a request over many findings parses none again
  connection.onCodeAction((p) => quickFixes(p.textDocument.uri, p.context.diagnostics, documents.get(p.textDocument.uri)?.getText(), (t) => analyzers.get(p.textDocument.uri)?.parsed(t)));

  documents.listen(connection);
  connection.listen();
}
