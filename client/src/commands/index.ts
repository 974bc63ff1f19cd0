// The explorer's commands (palette category "StatefulSet" and context menus). Every prompt goes
// through ../ui/prompts so that tests in the real editor can answer them.
import * as vscode from 'vscode';
import { errorMessage } from '../cluster/errors';
import type { StatefulSetView } from '../cluster/model';
import * as ops from '../cluster/operations';
import type { TreeNode } from '../cluster/tree';
import type { Explorer } from '../explorer/explorer';
import { VirtualDocuments } from '../explorer/documents';
import * as prompts from '../ui/prompts';

type Target = TreeNode | string | undefined;

export function registerCommands(ctx: vscode.ExtensionContext, ex: Explorer): void {
  const docs = new VirtualDocuments();
  ctx.subscriptions.push(docs);

  const reg = (id: string, fn: (...args: any[]) => unknown) =>
    ctx.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: any[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          const msg = errorMessage(err);
          ex.logger.error(`${id}: ${msg}`);
          void prompts.error(msg);
          return undefined;
        }
      }),
    );

  const needConn = () => {
    if (!ex.conn) throw new Error(ex.state === 'untrusted' ? 'Cluster access is disabled in an untrusted workspace' : 'Not connected to a cluster');
    return ex.conn;
  };

  /** The StatefulSet a command acts on: from the tree node, a "ns/name" string, or a quick pick. */
  const pickSts = async (t: Target, title: string): Promise<StatefulSetView | undefined> => {
    const conn = needConn();
    const key = typeof t === 'string' ? (t.includes('/') ? t : `${conn.namespace ?? 'default'}/${t}`) : t?.stsKey;
    if (key) {
      const v = conn.model.view(key);
      if (!v) throw new Error(`StatefulSet ${key} not found in the cluster`);
      return v;
    }
    const all = conn.model.statefulSets();
    if (all.length === 0) throw new Error('No StatefulSets in the current namespace');
    return prompts.quickPick(
      all.map((v) => ({ label: conn.namespace ? v.name : `${v.namespace}/${v.name}`, description: v.summary, value: v })),
      { title },
    );
  };

  /** A pod: from a tree node, "ns/pod" string, or pick. */
  const pickPod = async (t: Target, title: string): Promise<{ v: StatefulSetView; ordinal: number } | undefined> => {
    const conn = needConn();
    if (t && typeof t !== 'string' && t.stsKey && t.ordinal !== undefined) {
      const v = conn.model.view(t.stsKey);
      return v ? { v, ordinal: t.ordinal } : undefined;
    }
    const items: Array<prompts.PickItem<{ v: StatefulSetView; ordinal: number }>> = [];
    for (const v of conn.model.statefulSets()) {
      for (const o of v.ordinals) {
        const label = conn.namespace ? o.podName : `${v.namespace}/${o.podName}`;
        if (typeof t === 'string' && t !== label && t !== `${v.namespace}/${o.podName}`) continue;
        items.push({ label, description: o.pod ? `${o.pod.phase}${o.pod.ready ? ', ready' : ''}` : 'missing', value: { v, ordinal: o.ordinal } });
      }
    }
    if (typeof t === 'string') {
      if (!items.length) throw new Error(`Pod ${t} not found`);
      return items[0].value;
    }
    return prompts.quickPick(items, { title });
  };

  reg('statefulsetStudio.refresh', () => ex.refresh());
  reg('statefulsetStudio.showLog', () => ex.output.show());
  reg('statefulsetStudio.selectContext', (name?: unknown) => ex.selectContext(typeof name === 'string' ? name : undefined));
  reg('statefulsetStudio.selectNamespace', (name?: unknown) => ex.selectNamespace(typeof name === 'string' ? name : undefined));
  reg('statefulsetStudio.switchContextOrNamespace', async () => {
    const what = await prompts.quickPick(
      [
        { label: 'Switch Context…', description: ex.conn?.context, value: 'ctx' },
        { label: 'Switch Namespace…', description: ex.conn ? (ex.conn.namespace ?? 'all namespaces') : undefined, value: 'ns' },
        { label: 'Refresh', value: 'refresh' },
        { label: 'Show Log', value: 'log' },
      ],
      { title: 'StatefulSet Studio: cluster' },
    );
    if (what === 'ctx') await ex.selectContext();
    else if (what === 'ns') await ex.selectNamespace();
    else if (what === 'refresh') ex.refresh();
    else if (what === 'log') ex.output.show();
  });

  // ---------------------------------------------------------------- Scale…
  reg('statefulsetStudio.scale', async (t?: Target, replicasArg?: number) => {
    const conn = needConn();
    const v = await pickSts(t, 'Scale which StatefulSet?');
    if (!v) return;
    let target = replicasArg;
    if (target === undefined) {
      const input = await prompts.inputBox({
        title: `Scale ${v.namespace}/${v.name}`,
        prompt: `Replicas for ${v.name} (now ${v.replicas})`,
        value: String(v.replicas),
        validateInput: ops.validateReplicas,
      });
      if (input === undefined) return;
      target = Number(input.trim());
    }
    const plan = ops.scalePlan(v, target);
    if (plan.direction === 'none') {
      void prompts.info(plan.text);
      return;
    }
    if (plan.direction === 'down') {
      const button = plan.deletesData ? 'Scale down and DELETE PVCs' : 'Scale down';
      const ok = await prompts.warning(`Scale ${v.name} from ${plan.from} to ${plan.to}?`, { detail: plan.text, modal: true }, button);
      if (ok !== button) return;
      if (plan.toZero) {
        const z = await prompts.warning(`Scale ${v.name} to 0? Every pod of ${v.namespace}/${v.name} stops.`, { detail: 'This needs an explicit confirmation.', modal: true }, 'Scale to 0');
        if (z !== 'Scale to 0') return;
      }
    }
    await ops.scale(conn.http, v.namespace, v.name, target);
    ex.logger.info(`scaled ${v.key} from ${plan.from} to ${target}`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scaling ${v.name} to ${target}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        try {
          await ops.waitForScale(conn.model, v.key, target!, ac.signal, (text) => progress.report({ message: text }));
          void prompts.info(`${v.name} scaled to ${target}`);
        } catch (err) {
          if (ac.signal.aborted) void prompts.info(`Stopped waiting: ${v.name} keeps scaling to ${target} in the cluster`);
          else throw err;
        }
      },
    );
    return target;
  });

  // ---------------------------------------------------------------- Rollback…
  reg('statefulsetStudio.rollback', async (t?: Target, toRevision?: number) => {
    const conn = needConn();
    const v = await pickSts(t, 'Roll back which StatefulSet?');
    if (!v) return;
    const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
    const revs = await ops.listRevisions(conn.http, sts);
    // from a revision node of the tree: that revision
    const fromNode = t && typeof t !== 'string' && t.kind === 'revision' ? t.revision : undefined;
    const wanted = typeof toRevision === 'number' ? toRevision : fromNode;
    let rev = wanted !== undefined ? ops.pickRevision(revs, wanted) : undefined;
    if (!rev) {
      if (revs.length === 0) throw new Error(`No rollout history for ${v.name}`);
      const now = Date.now();
      rev = await prompts.quickPick(
        [...revs].reverse().map((r) => ({
          label: `revision ${r.revision}`,
          description: [r.metadata?.name === sts.status?.updateRevision ? 'current template' : '', ops.age(r.metadata?.creationTimestamp, now), ops.revisionImages(r).join(', ')].filter(Boolean).join(' · '),
          detail: ops.changeCause(r) || r.metadata?.name,
          value: r,
        })),
        { title: `Roll back ${v.name} to…` },
      );
      if (!rev) return;
    }
    const plan = ops.rollbackPlan(sts, rev);
    if (plan.alreadyMatches) {
      void prompts.info(`${v.name}: the template already matches revision ${rev.revision}; nothing to do (skipped rollback)`);
      return 'skipped';
    }
    const base = `/${v.namespace}/${v.name}`;
    const left = docs.put(`${base}/template-current.yaml`, ops.templateYaml(plan.currentTemplate));
    const right = docs.put(`${base}/template-revision-${rev.revision}.yaml`, ops.templateYaml(plan.targetTemplate));
    await vscode.commands.executeCommand('vscode.diff', left, right, `${v.name}: current template ↔ revision ${rev.revision} (read-only)`, { preview: true });
    await ops.rollbackDryRun(conn.http, plan);
    const button = `Roll back to revision ${rev.revision}`;
    const ok = await prompts.warning(
      `Roll back ${v.namespace}/${v.name} to revision ${rev.revision}?`,
      { detail: `The server accepted a dry run. The pod template of revision ${rev.revision} (${ops.revisionImages(rev).join(', ')}) replaces the current one; pods are updated per the update strategy (${v.strategy}${v.partition !== undefined ? `, partition ${v.partition}` : ''}).`, modal: true },
      button,
    );
    if (ok !== button) return;
    await ops.rollbackApply(conn.http, plan);
    ex.logger.info(`rolled back ${v.key} to revision ${rev.revision}`);
    void prompts.info(`${v.name} rolled back to revision ${rev.revision}`);
    return rev.revision;
  });

  // ---------------------------------------------------------------- canary
  reg('statefulsetStudio.canaryStep', async (t?: Target, partitionArg?: number) => {
    const conn = needConn();
    const v = await pickSts(t, 'Step the canary rollout of which StatefulSet?');
    if (!v) return;
    if (v.strategy !== 'RollingUpdate') throw new Error(`${v.name} uses updateStrategy ${v.strategy}: partitions apply to RollingUpdate only`);
    let partition = partitionArg;
    if (partition === undefined) {
      const next = ops.canaryPlan(v);
      const choice = await prompts.quickPick(
        [
          { label: `Advance to partition ${next.to}`, description: `ordinals ≥ ${next.to} get the update revision`, value: next.to },
          { label: 'Set partition…', value: -1 },
          { label: `Complete the rollout (partition ${v.start})`, value: v.start },
        ],
        { title: `Canary rollout of ${v.name}: partition now ${v.partition ?? 'unset'}` },
      );
      if (choice === undefined) return;
      partition = choice;
      if (choice === -1) {
        const input = await prompts.inputBox({
          prompt: `Partition for ${v.name} (ordinals ≥ partition get the new template)`,
          value: String(v.partition ?? v.start + v.replicas),
          validateInput: ops.validateReplicas,
        });
        if (input === undefined) return;
        partition = Number(input);
      }
    }
    const plan = ops.canaryPlan(v, partition);
    const ok = await prompts.warning(`Set partition of ${v.name} to ${plan.to}?`, { detail: plan.text, modal: true }, 'Set partition');
    if (ok !== 'Set partition') return;
    await ops.setPartition(conn.http, v.namespace, v.name, plan.to);
    void prompts.info(`${v.name}: partition ${plan.from ?? 'unset'} → ${plan.to}. ${plan.after.join(', ')}`);
    return plan.to;
  });

  // ---------------------------------------------------------------- delete StatefulSet
  reg('statefulsetStudio.delete', async (t?: Target) => {
    const conn = needConn();
    const v = await pickSts(t, 'Delete which StatefulSet?');
    if (!v) return;
    const mode = await prompts.quickPick<ops.DeleteMode>(
      [
        { label: 'Delete pods, keep PVCs', description: v.whenDeleted === 'Delete' ? 'whenDeleted: Delete — PVCs WILL BE DELETED' : 'default', detail: ops.deleteText(v, 'keepPvcs'), value: 'keepPvcs' },
        { label: 'Orphan everything', description: 'pods and PVCs stay (kubectl delete --cascade=orphan)', detail: ops.deleteText(v, 'orphan'), value: 'orphan' },
      ],
      { title: `Delete ${v.namespace}/${v.name}` },
    );
    if (!mode) return;
    const typed = await prompts.inputBox({
      prompt: `${ops.deleteText(v, mode)} Type ${v.name} to confirm.`,
      placeHolder: v.name,
      validateInput: (s) => (s === v.name ? undefined : `Type "${v.name}" exactly to confirm`),
    });
    if (typed !== v.name) return;
    await ops.deleteStatefulSet(conn.http, v.namespace, v.name, mode);
    ex.logger.info(`deleted ${v.key} (${mode})`);
    void prompts.info(`Deleted ${v.namespace}/${v.name}${mode === 'orphan' ? ' (pods and PVCs orphaned)' : ''}`);
    return mode;
  });

  // ---------------------------------------------------------------- history, restart, manifest
  reg('statefulsetStudio.history', async (t?: Target) => {
    const conn = needConn();
    const v = await pickSts(t, 'Rollout history of which StatefulSet?');
    if (!v) return;
    const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
    const text = ops.historyText(sts, await ops.listRevisions(conn.http, sts));
    const uri = docs.put(`/${v.namespace}/${v.name}/rollout-history.txt`, text);
    await vscode.window.showTextDocument(uri, { preview: true });
    return text;
  });

  reg('statefulsetStudio.restart', async (t?: Target) => {
    const conn = needConn();
    const v = await pickSts(t, 'Restart which StatefulSet?');
    if (!v) return;
    const ok = await prompts.warning(`Restart ${v.name}?`, { detail: `Sets kubectl.kubernetes.io/restartedAt on the pod template: pods are replaced one by one (${v.strategy}${v.partition ? `, only ordinals ≥ ${v.partition}` : ''}).`, modal: true }, 'Restart');
    if (ok !== 'Restart') return;
    await ops.restart(conn.http, v.namespace, v.name);
    void prompts.info(`${v.name}: restart requested`);
    return true;
  });

  const openManifest = async (t?: Target): Promise<vscode.Uri | undefined> => {
    const conn = needConn();
    const v = await pickSts(t, 'Open the live manifest of which StatefulSet?');
    if (!v) return;
    const sts = await ops.getStatefulSet(conn.http, v.namespace, v.name);
    return docs.put(`/${v.namespace}/${v.name}/live/${v.name}.yaml`, ops.manifestYaml(sts));
  };
  reg('statefulsetStudio.openManifest', async (t?: Target) => {
    const uri = await openManifest(t);
    if (uri) await vscode.window.showTextDocument(uri, { preview: true });
    return uri?.toString();
  });
  reg('statefulsetStudio.compareWithFile', async (t?: Target, file?: vscode.Uri) => {
    const uri = await openManifest(t);
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
  });

  // ---------------------------------------------------------------- pods
  reg('statefulsetStudio.deletePod', async (t?: Target) => {
    const conn = needConn();
    const p = await pickPod(t, 'Delete which pod?');
    if (!p) return;
    const name = `${p.v.name}-${p.ordinal}`;
    const pvcs = p.v.templates.map((tp) => `${tp}-${p.v.name}-${p.ordinal}`);
    const ok = await prompts.warning(
      `Delete pod ${name}?`,
      { detail: `The StatefulSet controller recreates it with the same name${pvcs.length ? ` and the same PVC${pvcs.length > 1 ? 's' : ''} (${pvcs.join(', ')})` : ''}.`, modal: true },
      'Delete Pod',
    );
    if (ok !== 'Delete Pod') return;
    await ops.deletePod(conn.http, p.v.namespace, name);
    void prompts.info(`Deleted pod ${name}; the controller recreates it`);
    return name;
  });

  reg('statefulsetStudio.copyPodDns', async (t?: Target) => {
    const p = await pickPod(t, 'Copy the DNS name of which pod?');
    if (!p) return;
    const dns = ops.podDnsName(p.v.sts, p.ordinal);
    await vscode.env.clipboard.writeText(dns);
    void prompts.info(`Copied ${dns}`);
    return dns;
  });

  // ---------------------------------------------------------------- test hooks
  if (process.env.STATEFULSET_STUDIO_TEST === '1') {
    prompts.enableTestMode();
    reg('statefulsetStudio.test.setAnswers', (a: prompts.TestAnswers) => prompts.setAnswers(a ?? {}));
    reg('statefulsetStudio.test.clearAnswers', () => prompts.clearAnswers());
    reg('statefulsetStudio.test.getPrompts', () => prompts.takePrompts());
    reg('statefulsetStudio.test.getTree', () => ex.renderTree());
    reg('statefulsetStudio.test.getState', () => ({ state: ex.state, context: ex.conn?.context, namespace: ex.conn?.namespace ?? null, statusBar: ex.statusBar.text, message: ex.treeView.message ?? null, liveObjects: ex.liveObjects().length, tree: ex.provider.stats }));
  }
}
