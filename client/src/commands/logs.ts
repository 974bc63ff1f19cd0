// Logs: one pod's container (a picker when there are several; the previous instance of a crashed one), followed
// by default with a bounded tail, in a document that stops its stream when closed.
import { LogStream, logText } from '../cluster/logs';
import { openLiveDocument } from '../explorer/liveDocument';
import type { Command, CommandContext, Target } from './context';
import * as prompts from '../ui/prompts';

export const logs: Command = {
  id: 'statefulsetStudio.logs',
  run: async (c: CommandContext, t?: Target, opts?: { container?: string; previous?: boolean; tailLines?: number }) => {
    const conn = c.needConn();
    const p = await c.pickPod(t, 'Logs of which pod?');
    if (!p) return;
    const o = p.v.ordinals.find((x) => x.ordinal === p.ordinal);
    const podName = `${p.v.name}-${p.ordinal}`;
    const pod = o?.pod?.pod;
    const statuses = (pod?.status?.containerStatuses ?? []) as Array<{ name?: string; restartCount?: number }>;
    const names = (pod?.spec?.containers ?? []).map((x) => x.name ?? '').filter(Boolean);
    let container = opts?.container;
    let previous = opts?.previous ?? false;
    if (!container) {
      const items = names.flatMap((n) => {
        const restarts = statuses.find((s) => s.name === n)?.restartCount ?? 0;
        return [
          { label: n, description: 'follow', value: { n, previous: false } },
          ...(restarts > 0 ? [{ label: `${n} (previous)`, description: `the instance before the last restart (${restarts} restarts)`, value: { n, previous: true } }] : []),
        ];
      });
      if (items.length > 1) {
        const pick = await prompts.quickPick(items, { title: `Logs of ${podName}: which container?` });
        if (!pick) return;
        container = pick.n;
        previous = pick.previous;
      } else container = names[0];
    }
    const stream = new LogStream(conn.http, { namespace: p.v.namespace, pod: podName, container, previous, tailLines: opts?.tailLines ?? 1000 });
    const uri = await openLiveDocument(
      c.docs,
      `/${p.v.namespace}/${podName}/${container ?? 'logs'}${previous ? '.previous' : ''}.log`,
      {
        render: () => logText(stream.lines, [{ label: podName, status: stream.status }]),
        start: (update) => {
          stream.onLines(update);
          stream.onStatus(update);
          stream.start();
          return () => stream.close();
        },
      },
      { language: 'log' },
    );
    return uri.toString();
  },
};
