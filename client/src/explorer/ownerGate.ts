// The vscode side of "every write asks its owner first": before a command changes a managed
// StatefulSet it says what the owner will do (cluster/owners/gate.ts) and offers the open paths;
// an operator-owned StatefulSet's spec writes are refused and the CR is opened; "pause sync, do it,
// resume" runs the command with the owner paused (journaled: cluster/owners/pause.ts); after a "do it
// once" the command checks, after a settle period, whether the owner put it back and says so instead
// of reporting success.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StatefulSetView } from '../cluster/model';
import { CHOICE_LABELS, ownerVerdict, type Choice, type Verdict, type Write } from '../cluster/owners/gate';
import { ownerDocument } from '../cluster/owners/open';
import { pauseEntry, withOwnerPaused } from '../cluster/owners/pause';
import { syncFailure } from '../cluster/owners/text';
import type { Owner } from '../cluster/owners/detect';
import type { KObject } from '../cluster/types';
import type { ClusterConnection } from '../cluster/connection';
import type { CommandContext } from '../commands/context';
import { SCHEME } from './documents';
import * as prompts from '../ui/prompts';
import { pauseJournal } from './ownerResume';
import { commitDiff, commitText, fieldChanges } from '../cluster/owners/commitDiff';
import { latestHelmRelease, locateValues, valuesKeyKeep, valuesKeysFor, valuesKeyWhere, workspaceCharts, type HelmRelease, type ValuesKey } from '../cluster/owners/helmValues';

export const SHOW_DIFF = 'Show Diff';

/** How long a change is watched for the owner's revert after "do it once" (tests shorten it). */
export function ownerSettleMs(): number {
  const t = process.env.STATEFULSET_STUDIO_TEST === '1' ? Number(process.env.STATEFULSET_STUDIO_TEST_OWNER_SETTLE_MS) : NaN;
  return Number.isFinite(t) && t >= 0 ? t : 10_000;
}

/** Open the owner's object read-only (best effort: a refusal is said even when it cannot be read). */
async function openOwner(c: CommandContext, v: StatefulSetView): Promise<void> {
  if (!v.owner) return;
  try {
    const d = await ownerDocument(c.needConn().http, v.namespace, v.name, v.owner);
    await vscode.window.showTextDocument(c.docs.put(d.path, d.yaml), { preview: true });
  } catch (e) {
    c.ex.logger.info(`open owner of ${v.key}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface OwnerAnswer {
  verdict: Verdict;
  /** 'free' (no owner), a choice, or undefined (refused / cancelled) */
  choice?: Choice | 'free';
  /** Helm owner: its latest release record (chart templates and values), read once when asked */
  helm?: HelmRelease;
  /** Helm owner whose chart is in the workspace: its folder, as named in messages, and the values files it is rendered with */
  helmChart?: { dir: string; label: string; values: string[] };
}

/** The release's chart in the workspace (a folder whose Chart.yaml has its name), with the values files configured for it. */
function chartInWorkspace(helm: HelmRelease): OwnerAnswer['helmChart'] {
  const name = helm.chart?.metadata?.name;
  const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  if (typeof name !== 'string' || !roots.length) return undefined;
  const [dir] = workspaceCharts(roots, name);
  if (!dir) return undefined;
  const root = roots.find((r) => !path.relative(r, dir).startsWith('..')) ?? dir;
  const label = path.relative(root, dir).split(path.sep).join('/');
  const charts = vscode.workspace.getConfiguration('statefulsetStudio').get<Record<string, { values?: string[] }>>('helm.charts') ?? {};
  return { dir, label, values: charts[label || '.']?.values ?? [] };
}

/** The values keys behind `fields`, with the workspace line that sets each when the chart is there. */
function keysFor(helm: HelmRelease, chart: OwnerAnswer['helmChart'], fields: string[]): ValuesKey[] {
  const keys = valuesKeysFor(helm, fields);
  return chart ? locateValues(keys, chart.dir, chart.label, chart.values) : keys;
}

/** The field a write lands in, for the Helm values key that sets it (the others are known after the command). */
const HELM_FIELDS: Partial<Record<Write, string>> = {
  scale: 'spec.replicas',
  canary: 'spec.updateStrategy.rollingUpdate.partition',
  resize: 'spec.volumeClaimTemplates[*].spec.resources.requests.storage',
};

/** Helm: read the release (best effort) and name the values key behind the write's field in the question. */
async function withHelmValues(c: CommandContext, v: StatefulSetView, w: Write, verdict: Verdict): Promise<{ verdict: Verdict; helm?: HelmRelease; helmChart?: OwnerAnswer['helmChart'] }> {
  const o = v.owner;
  if (o?.type !== 'helm' || verdict.kind !== 'ask') return { verdict };
  let helm: HelmRelease;
  try {
    helm = (await latestHelmRelease(c.needConn().http, o.ref.namespace, o.ref.name)).release;
  } catch (e) {
    c.ex.logger.info(`Helm release of ${v.key}: ${e instanceof Error ? e.message : String(e)}`);
    return { verdict };
  }
  const helmChart = chartInWorkspace(helm);
  const field = HELM_FIELDS[w];
  const [k] = field ? keysFor(helm, helmChart, [field]) : [];
  return { helm, helmChart, verdict: k ? ownerVerdict(v, w, `${field} from ${valuesKeyWhere(k)}`) : verdict };
}

/** Ask the owner first. Undefined choice: do nothing (refused or cancelled). */
export async function askOwner(c: CommandContext, v: StatefulSetView, w: Write): Promise<OwnerAnswer> {
  const verdict = ownerVerdict(v, w);
  if (verdict.kind === 'free') return { verdict, choice: 'free' };
  if (verdict.kind === 'refuse') {
    c.ex.logger.info(verdict.message);
    await openOwner(c, v);
    void prompts.error(verdict.message);
    return { verdict };
  }
  const { verdict: said, helm, helmChart } = await withHelmValues(c, v, w, verdict);
  const labels = said.choices.map((ch) => CHOICE_LABELS[ch]);
  const ans = await prompts.warning(said.message, { detail: said.detail, modal: true }, ...labels);
  const choice = said.choices.find((ch) => CHOICE_LABELS[ch] === ans);
  return { verdict: said, choice, helm, helmChart };
}

/** Run the write as answered: with the owner paused around it, or as it is. */
export async function runAnswered<T>(c: CommandContext, v: StatefulSetView, a: OwnerAnswer, purpose: string, act: () => Promise<T>): Promise<T> {
  if (a.choice !== 'pause' || !v.owner) return act();
  const conn = c.needConn();
  const entry = await pauseEntry(conn.http, conn.server, conn.context, v.owner, purpose, { namespace: v.namespace, name: v.name });
  c.ex.logger.info(`pausing ${v.owner.label} for ${purpose}`);
  const r = await withOwnerPaused(conn.http, pauseJournal(c.ex.journal.dir), entry, act, {
    onProgress: (t) => c.ex.logger.info(t),
    // a journaled workflow cut half-way (resize, re-create, restore): resumed now, the owner would re-create the StatefulSet under it
    keepPausedOnError: () => c.ex.pendingWorkflow(conn.server, v.namespace, v.name),
  });
  c.ex.logger.info(`resumed ${v.owner.label} after ${purpose}`);
  return r;
}

/** The change a command made, as the owner's source must hold it: the object (or part, under `prefix`) before and after. */
export interface Change {
  before: unknown;
  after: unknown;
  prefix?: string;
}

/** Helm: how to keep each changed field through the next upgrade, from the values keys that set it (none known: undefined). */
function helmKeep(release: string, a: OwnerAnswer, change: Change): string | undefined {
  if (!a.helm) return undefined;
  const fields = fieldChanges(change.before, change.after, change.prefix).slice(0, 3);
  const keys = keysFor(a.helm, a.helmChart, fields.map((f) => f.path));
  if (!keys.length) return undefined;
  return keys.map((k) => valuesKeyKeep(release, k, fields.find((f) => f.path === k.field)?.to)).join('; ');
}

/**
 * The resumed owner's last sync, read once (the StatefulSet a workflow re-created from a file may have lost the
 * owner's labels, so the model no longer ties it to its owner): failed → its message.
 */
async function lastSyncFailure(conn: ClusterConnection, o: Owner): Promise<string | undefined> {
  if ((o.type !== 'argocd' && o.type !== 'flux') || !o.ref.plural) return undefined;
  try {
    const object = await conn.http.request<KObject>('GET', `/apis/${o.ref.apiVersion}/namespaces/${encodeURIComponent(o.ref.namespace)}/${o.ref.plural}/${encodeURIComponent(o.ref.name)}`);
    return syncFailure({ ...o, object });
  } catch {
    return undefined;
  }
}

/**
 * After a change the owner may revert: watch the StatefulSet for the settle period; `holds` says whether the
 * change is still there. Returns the message to show (never plain success when the owner put it back).
 */
export async function afterOwner(conn: ClusterConnection, v: StatefulSetView, a: OwnerAnswer, done: string, holds: (now: StatefulSetView | undefined) => boolean, change?: Change): Promise<{ message: string; reverted: boolean }> {
  if (!v.owner || a.choice === 'free' || !a.verdict.reverted) return { message: done, reverted: false };
  const ms = ownerSettleMs();
  // reverted = the change was seen in the model and then went away, or was never seen holding by the end
  // (the watch may bring the change a moment after the request's answer: not seen yet is not reverted yet)
  let seen = false;
  const reverted = await new Promise<boolean>((resolve) => {
    const check = (): boolean => {
      if (holds(conn.model.view(v.key))) {
        seen = true;
        return false;
      }
      return seen;
    };
    const timer = setTimeout(() => {
      unsub();
      resolve(check() || !seen);
    }, ms);
    const unsub = conn.model.onDidChange((ch) => {
      if (ch.keys.has(v.key) && check()) {
        clearTimeout(timer);
        unsub();
        resolve(true);
      }
    });
    check();
  });
  const o = v.owner;
  // the change the user must make at the source, as a line of the StatefulSet's manifest
  const commit = change ? commitText(change.before, change.after, change.prefix) : undefined;
  const source = commit ? (o.type === 'argocd' || o.type === 'flux' ? ` To keep it, commit \`${commit}\` (StatefulSet ${v.name}) to git.` : o.type === 'helm' ? ` To keep it, ${helmKeep(o.ref.name, a, change!) ?? `set the chart value that renders \`${commit}\` and upgrade the release`}.` : '') : '';
  const instead = a.verdict.message.split(' — ')[1] ?? '';
  if (reverted) return { message: `${`${done} — then ${o.title} put it back. ${instead.charAt(0).toUpperCase()}${instead.slice(1)}`.trim()}${source}`, reverted: true };
  // resumed with git unchanged, an owner cannot put an immutable field back: its sync fails instead (said)
  const failing = a.choice === 'pause' ? await lastSyncFailure(conn, o) : undefined;
  const note = failing ? `; ${o.title} is resumed, but its sync fails now (${failing}): commit the change to git so that it syncs again` : a.choice === 'pause' ? `; ${o.title} is resumed: it puts git back at its next sync unless the change is committed there` : `; it held for ${Math.round(ms / 1000)} s, but ${o.title} will revert it (${o.reverts === 'later' ? 'at its next sync / upgrade' : 'at its next reconcile'})`;
  return { message: `${done}${note}.${source}`, reverted: false };
}

/**
 * Say the result of a write to a managed StatefulSet: an error when its owner put it back, else information;
 * for Argo CD / Flux with a "Show Diff" action that opens the change to commit to git (read-only). Returns the
 * diff document's path (tests read it back), if any.
 */
export function ownerResult(c: CommandContext, v: StatefulSetView, a: OwnerAnswer, r: { message: string; reverted: boolean }, change?: Change): string | undefined {
  const o = v.owner;
  const git = o && a.choice !== 'free' && (o.type === 'argocd' || o.type === 'flux') && change;
  let path: string | undefined;
  if (git) {
    path = `/${v.namespace}/${v.name}/commit-to-git.diff`;
    c.docs.put(path, commitDiff(change.before, change.after, { prefix: change.prefix, title: `${v.namespace}/${v.name}: the change to commit (${o.label})`, where: `git, the source of ${o.label}` }));
  }
  const buttons = path ? [SHOW_DIFF] : [];
  const shown = r.reverted ? prompts.error(r.message, ...buttons) : prompts.info(r.message, ...buttons);
  if (path) {
    const p = path;
    void shown.then(async (ans) => {
      if (ans === SHOW_DIFF) await vscode.window.showTextDocument(vscode.Uri.from({ scheme: SCHEME, path: p }), { preview: true });
    });
  }
  return path;
}
