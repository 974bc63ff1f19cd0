// Logs of All Ordinals: every pod of a StatefulSet followed at once, lines interleaved by time with a [web-2]
// prefix; pods that come and go (scale, rollout) are followed as they appear; everything stops on close.
import { MultiLog, logText } from '../cluster/logs';
import { openLiveDocument } from '../explorer/liveDocument';
import type { Command, CommandContext, Target } from './context';

export const logsAll: Command = {
  id: 'statefulsetStudio.logsAll',
  run: async (c: CommandContext, t?: Target, opts?: { tailLines?: number }) => {
    const conn = c.needConn();
    const v = await c.pickSts(t, 'Logs of all ordinals of which StatefulSet?');
    if (!v) return;
    const container = (v.sts.spec?.template?.spec?.containers ?? [])[0]?.name;
    const multi = new MultiLog(conn.http, { namespace: v.namespace, container, tailLines: opts?.tailLines ?? 200 });
    const pods = () => (conn.model.view(v.key)?.ordinals ?? []).filter((o) => o.desired).map((o) => o.podName);
    const uri = await openLiveDocument(
      c.docs,
      `/${v.namespace}/${v.name}/all-ordinals.log`,
      {
        render: () => logText(multi.lines, [...multi.streams.values()].map((s) => ({ label: s.o.pod, status: s.status })), { prefix: true }),
        start: (update) => {
          multi.onChange(update);
          multi.setPods(pods());
          const unsub = conn.model.onDidChange((ch) => {
            if (ch.keys.has(v.key)) multi.setPods(pods());
          });
          return () => {
            unsub();
            multi.close();
          };
        },
      },
      { language: 'log' },
    );
    return uri.toString();
  },
};
