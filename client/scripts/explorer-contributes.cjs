// Adds the cluster explorer's keys to package.json, touching nothing else.
const fs = require('fs');
const file = process.argv[2] || '/work/main/package.json';
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const c = (p.contributes ??= {});
const cat = 'StatefulSet';
const cmds = [
  ['statefulsetStudio.refresh', 'Refresh', '$(refresh)'],
  ['statefulsetStudio.selectContext', 'Switch Context…', '$(server-environment)'],
  ['statefulsetStudio.selectNamespace', 'Switch Namespace…', '$(symbol-namespace)'],
  ['statefulsetStudio.switchContextOrNamespace', 'Cluster Menu…', '$(database)'],
  ['statefulsetStudio.showLog', 'Show Cluster Log', '$(output)'],
  ['statefulsetStudio.scale', 'Scale…', '$(arrow-both)'],
  ['statefulsetStudio.rollback', 'Rollback…', '$(discard)'],
  ['statefulsetStudio.canaryStep', 'Step Canary Rollout (Partition)…', '$(debug-step-over)'],
  ['statefulsetStudio.delete', 'Delete StatefulSet…', '$(trash)'],
  ['statefulsetStudio.history', 'Rollout History', '$(history)'],
  ['statefulsetStudio.restart', 'Restart (Rollout Restart)', '$(debug-restart)'],
  ['statefulsetStudio.openManifest', 'Open Live Manifest', '$(go-to-file)'],
  ['statefulsetStudio.compareWithFile', 'Compare Live Manifest with File…', '$(diff)'],
  ['statefulsetStudio.deletePod', 'Delete Pod…', '$(trash)'],
  ['statefulsetStudio.copyPodDns', 'Copy Pod DNS Name', '$(copy)'],
];
const mine = new Set(cmds.map((x) => x[0]));
c.commands = [...(c.commands ?? []).filter((x) => !mine.has(x.command)), ...cmds.map(([command, title, icon]) => ({ command, title, category: cat, icon }))];

c.viewsContainers ??= {};
c.viewsContainers.activitybar = [...(c.viewsContainers.activitybar ?? []).filter((v) => v.id !== 'statefulsetStudio'), { id: 'statefulsetStudio', title: 'StatefulSet Studio', icon: 'client/media/statefulsets.svg' }];
c.views ??= {};
c.views.statefulsetStudio = [{ id: 'statefulsetStudio.explorer', name: 'StatefulSets', contextualTitle: 'StatefulSet Studio', icon: 'client/media/statefulsets.svg' }];
const V = 'statefulsetStudio.explorer';
c.viewsWelcome = [
  ...(c.viewsWelcome ?? []).filter((w) => w.view !== V),
  { view: V, when: 'statefulsetStudio.state == untrusted', contents: 'Cluster access is disabled in an untrusted workspace: StatefulSet Studio makes no cluster call here.\n[Manage Workspace Trust](command:workbench.trust.manage)' },
  { view: V, when: 'statefulsetStudio.state == noKubeconfig', contents: 'No kubeconfig found. Set KUBECONFIG, create ~/.kube/config, or set the path in the settings.\n[Open Settings](command:workbench.action.openSettings?%22statefulsetStudio.kubeconfig%22)\n[Retry](command:statefulsetStudio.refresh)' },
  { view: V, when: 'statefulsetStudio.state == unreachable', contents: 'No cluster is reachable with the current context: disconnected — retrying in the background.\n[Retry Now](command:statefulsetStudio.refresh)\n[Switch Context](command:statefulsetStudio.selectContext)\n[Show Log](command:statefulsetStudio.showLog)' },
];

const inView = `view == ${V}`;
const item = (cv) => `${inView} && viewItem =~ /^statefulsetStudio\\.${cv}/`;
const menus = (c.menus ??= {});
const drop = (arr) => (arr ?? []).filter((m) => !mine.has(m.command));
menus['view/title'] = [
  ...drop(menus['view/title']),
  { command: 'statefulsetStudio.refresh', when: inView, group: 'navigation@3' },
  { command: 'statefulsetStudio.selectNamespace', when: inView, group: 'navigation@2' },
  { command: 'statefulsetStudio.selectContext', when: inView, group: 'navigation@1' },
  { command: 'statefulsetStudio.showLog', when: inView, group: 'z' },
];
menus['view/item/context'] = [
  ...drop(menus['view/item/context']),
  { command: 'statefulsetStudio.selectContext', when: item('context'), group: 'inline' },
  { command: 'statefulsetStudio.selectNamespace', when: item('context'), group: 'inline' },
  { command: 'statefulsetStudio.scale', when: item('statefulset'), group: 'inline@1' },
  { command: 'statefulsetStudio.rollback', when: item('statefulset'), group: 'inline@2' },
  { command: 'statefulsetStudio.scale', when: item('statefulset'), group: '1_change@1' },
  { command: 'statefulsetStudio.rollback', when: item('statefulset'), group: '1_change@2' },
  { command: 'statefulsetStudio.canaryStep', when: item('statefulset'), group: '1_change@3' },
  { command: 'statefulsetStudio.restart', when: item('statefulset'), group: '1_change@4' },
  { command: 'statefulsetStudio.history', when: item('statefulset'), group: '2_view@1' },
  { command: 'statefulsetStudio.openManifest', when: item('statefulset'), group: '2_view@2' },
  { command: 'statefulsetStudio.compareWithFile', when: item('statefulset'), group: '2_view@3' },
  { command: 'statefulsetStudio.delete', when: item('statefulset'), group: '9_delete@1' },
  { command: 'statefulsetStudio.deletePod', when: item('pod'), group: '9_delete@1' },
  { command: 'statefulsetStudio.copyPodDns', when: item('(pod|ordinal)'), group: '1_copy@1' },
  { command: 'statefulsetStudio.history', when: item('revision'), group: '2_view@1' },
  { command: 'statefulsetStudio.rollback', when: item('revision'), group: '1_change@1' },
];

c.configuration ??= { title: 'StatefulSet Studio', properties: {} };
const conf = Array.isArray(c.configuration) ? c.configuration[0] : c.configuration;
conf.properties ??= {};
conf.properties['statefulsetStudio.kubeconfig'] = {
  type: 'string',
  default: '',
  scope: 'machine',
  markdownDescription: 'Path of the kubeconfig file(s) the cluster explorer uses (several separated by `:`; `;` on Windows). Empty: `KUBECONFIG`, else `~/.kube/config`. Machine-scoped: a workspace can never set it.',
};

const ev = new Set(p.activationEvents ?? []);
ev.add('onView:statefulsetStudio.explorer');
for (const [id] of cmds) ev.add(`onCommand:${id}`);
p.activationEvents = [...ev];

p.capabilities ??= {};
p.capabilities.untrustedWorkspaces = {
  supported: 'limited',
  description: 'In an untrusted workspace the cluster explorer makes no cluster call; the language server works.',
  restrictedConfigurations: ['statefulsetStudio.kubeconfig'],
};
fs.writeFileSync(file, JSON.stringify(p, null, 2) + '\n');
