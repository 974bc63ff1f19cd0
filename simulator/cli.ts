// Run the simulator as a process (for editor tests and the demo cluster).
//
//   node --import tsx simulator/cli.ts [--port N] [--dir DIR] [--scenario empty|demo]
//        [--ready-delay-ms N] [--termination-ms N] [--log-interval-ms N] [--crash-restart-ms N] [--history N] [--bulk-sets N --bulk-pods M] [--verbose]
//        [--in-place-claim-templates]   (KEP-4650 feature gate on: claim template changes are accepted)
//
// Prints one JSON line on stdout once listening:
//   {"event":"ready","url":...,"port":...,"kubeconfigPath":...,"tokens":{...},"controlUrl":".../_simulator"}
// Faults and seeding at run time: POST <controlUrl>/<action> with the admin bearer token
// (see README "Local cluster simulator"). SIGINT/SIGTERM (or stdin closing, with --exit-with-stdin)
// stops it cleanly.
import { parseArgs } from 'node:util';
import { startApiServer, type ApiServer, type ScenarioName } from './index';

export interface CliOptions {
  port: number;
  dir?: string;
  scenario: ScenarioName;
  readyDelayMs?: number;
  terminationMs?: number;
  logIntervalMs?: number;
  crashRestartMs?: number;
  history?: number;
  bulkSets: number;
  bulkPods: number;
  verbose: boolean;
  exitWithStdin: boolean;
  inPlaceClaimTemplates?: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      dir: { type: 'string' },
      scenario: { type: 'string', default: 'empty' },
      'ready-delay-ms': { type: 'string' },
      'termination-ms': { type: 'string' },
      'log-interval-ms': { type: 'string' },
      'crash-restart-ms': { type: 'string' },
      history: { type: 'string' },
      'bulk-sets': { type: 'string', default: '0' },
      'bulk-pods': { type: 'string', default: '10' },
      verbose: { type: 'boolean', default: false },
      'exit-with-stdin': { type: 'boolean', default: false },
      'in-place-claim-templates': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const scenario = values.scenario;
  if (scenario !== 'empty' && scenario !== 'demo' && scenario !== 'managed') throw new Error(`--scenario must be empty, demo or managed, not ${scenario}`);
  return {
    port: Number(values.port),
    dir: values.dir,
    scenario,
    readyDelayMs: values['ready-delay-ms'] !== undefined ? Number(values['ready-delay-ms']) : undefined,
    terminationMs: values['termination-ms'] !== undefined ? Number(values['termination-ms']) : undefined,
    logIntervalMs: values['log-interval-ms'] !== undefined ? Number(values['log-interval-ms']) : undefined,
    crashRestartMs: values['crash-restart-ms'] !== undefined ? Number(values['crash-restart-ms']) : undefined,
    history: values.history !== undefined ? Number(values.history) : undefined,
    bulkSets: Number(values['bulk-sets']),
    bulkPods: Number(values['bulk-pods']),
    verbose: !!values.verbose,
    exitWithStdin: !!values['exit-with-stdin'],
    inPlaceClaimTemplates: !!values['in-place-claim-templates'],
  };
}

export async function startFromCli(o: CliOptions, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<ApiServer> {
  const api = await startApiServer({
    port: o.port,
    dir: o.dir,
    scenario: o.scenario,
    podReadyDelayMs: o.readyDelayMs,
    podTerminationMs: o.terminationMs,
    logIntervalMs: o.logIntervalMs,
    crashRestartMs: o.crashRestartMs,
    historyLimit: o.history,
    log: o.verbose ? log : undefined,
    featureGates: { inPlaceClaimTemplates: !!o.inPlaceClaimTemplates },
  });
  if (o.bulkSets > 0) api.seedBulk({ statefulSets: o.bulkSets, podsPerSet: o.bulkPods, namespace: 'bulk' });
  return api;
}

export function handleSignals(api: ApiServer, exitWithStdin: boolean): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    api.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (exitWithStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}

async function main(): Promise<void> {
  const o = parseCli(process.argv.slice(2));
  const api = await startFromCli(o);
  handleSignals(api, o.exitWithStdin);
  process.stdout.write(
    `${JSON.stringify({
      event: 'ready',
      simulator: true,
      url: api.url,
      port: api.port,
      kubeconfigPath: api.kubeconfigPath,
      caPath: api.caPath,
      tokens: api.tokens,
      contexts: api.contexts,
      controlUrl: `${api.url}/_simulator`,
    })}\n`,
  );
}

if (process.argv[1] && /[\\/]cli\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    process.stderr.write(`simulator failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
