// Language-server benchmark: ours vs yaml-language-server (Red Hat's YAML extension's server, configured
// offline with the shared StatefulSet JSON schema), on the same generated files, in the same run.
// Prints a table and writes bench/results.json. Never gates anything: figures only.
//   npm run bench            (all sizes)      BENCH_SIZES=10,50 npm run bench
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { replicaLines, statefulSetFile } from './generate';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/launch';
import { publishFloor, type Floor } from './publish-floor';

const ROOT = path.join(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '10,50,200').split(',').map(Number);
const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const QUERIES = 40;
const PEER_SCHEMA = path.resolve(ROOT, '..', 'shared', 'data', 'statefulset-apps-v1.json');

interface ServerSpec {
  name: string;
  command: string[];
  settings?: Record<string, unknown>;
}

/** BENCH_CPU_PROF=<dir>: our server writes a V8 CPU profile there (profile before optimising). */
function nodeArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/** Node's flags for our server: as the extension starts it (launch.ts); BENCH_SERVER_FLAGS="" for Node's defaults. */
function serverFlags(): string[] {
  const env = process.env.BENCH_SERVER_FLAGS;
  return env === undefined ? [...SERVER_NODE_FLAGS] : env.split(' ').filter(Boolean);
}

function servers(): ServerSpec[] {
  const list: ServerSpec[] = [{ name: 'statefulset-studio', command: [process.execPath, ...serverFlags(), ...nodeArgs(), path.join(ROOT, 'bin', 'statefulset-language-server.js'), '--stdio'] }];
  // the other launch path: the bin run as a program, as other editors start it (its #! line gives Node the flags)
  if (process.env.BENCH_BIN !== '0' && process.platform !== 'win32')
    list.push({ name: 'statefulset-studio (bin)', command: [path.join(ROOT, 'bin', 'statefulset-language-server.js'), '--stdio'] });
  const peerBin = path.join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  if (fs.existsSync(peerBin) && fs.existsSync(PEER_SCHEMA) && process.env.BENCH_PEER !== '0') {
    list.push({
      name: 'yaml-language-server',
      command: [process.execPath, peerBin, '--stdio'],
      settings: {
        yaml: {
          validate: true,
          hover: true,
          completion: true,
          schemaStore: { enable: false },
          schemas: { [pathToFileURL(PEER_SCHEMA).toString()]: ['*.yaml'] },
        },
      },
    });
  }
  return list;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const median = (xs: number[]) => pct(xs, 50);

function peakRssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) the process has used so far, ms; NaN where /proc is missing. */
let clockTicks: number | undefined;
function cpuMs(pid: number): number {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // the fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

interface Figures {
  server: string;
  documents: number;
  bytes: number;
  /** didOpen → the first publishDiagnostics. */
  coldOpenMs: number;
  /** didOpen → the last publishDiagnostics of the opening (all findings). */
  coldOpenAllMs: number;
  editMedianMs: number;
  editP95Ms: number;
  editMaxMs: number;
  /** the server's CPU time (user + system) over the edits, per edit: what a keystroke costs it, whatever the client's wait */
  editCpuMs: number;
  completionP50Ms: number;
  completionP95Ms: number;
  hoverP50Ms: number;
  hoverP95Ms: number;
  peakRssMiB: number;
}

async function measure(spec: ServerSpec, n: number, text: string): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sts-bench-'));
  const file = path.join(dir, `bench-${n}.yaml`);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).toString();
  const proc = spawn(spec.command[0], spec.command.slice(1), { stdio: ['pipe', 'pipe', process.env.BENCH_DEBUG ? 'inherit' : 'ignore'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  let waiter: { version: number; resolve: (t: number) => void } | undefined;
  let lastPublish = 0;
  let lastHeard = 0;
  const inProgress = new Set<unknown>();
  conn.onNotification('$/progress', (p: { token: unknown; value: { kind: string } }) => {
    lastHeard = performance.now();
    if (p.value.kind === 'begin') inProgress.add(p.token);
    if (p.value.kind === 'end') inProgress.delete(p.token);
  });
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (p.uri === uri) lastPublish = lastHeard = performance.now();
    if (p.uri === uri && waiter && (p.version === undefined || p.version === waiter.version)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(performance.now());
    }
  });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
    p.items.map((it) => {
      const s = spec.settings ?? {};
      return it.section ? it.section.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], s) ?? null : s;
    }),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
    capabilities: {
      window: { workDoneProgress: true },
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] }, publishDiagnostics: { versionSupport: true } },
    },
  });
  conn.sendNotification('initialized', {});
  if (spec.settings) conn.sendNotification('workspace/didChangeConfiguration', { settings: spec.settings });
  await new Promise((r) => setTimeout(r, 300)); // let settings land before the clock starts

  const diagnosed = (version: number) => new Promise<number>((resolve) => (waiter = { version, resolve }));
  let t0 = performance.now();
  let done = diagnosed(1);
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const coldOpenMs = (await done) - t0;
  // a server may publish the first documents' findings first (ours then reports progress while it reads
  // the rest): all of them once no progress is open and nothing more came for 500 ms
  while (inProgress.size || performance.now() - lastHeard < 500) await new Promise((r) => setTimeout(r, 20));
  const coldOpenAllMs = lastPublish - t0;

  // edits: change one replicas value in a document spread over the file (a real keystroke each)
  const lines = text.split('\n');
  const targets = replicaLines(text);
  const edits: number[] = [];
  const cpu0 = cpuMs(proc.pid!);
  let version = 1;
  for (let i = 0; i < EDITS; i++) {
    const line = targets[(i * 7) % targets.length];
    const old = lines[line];
    lines[line] = `  replicas: ${(i % 9) + 1}`;
    version++;
    done = diagnosed(version);
    t0 = performance.now();
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: old.length } }, text: lines[line] }],
    });
    edits.push((await done) - t0);
  }
  const editCpuMs = (cpuMs(proc.pid!) - cpu0) / EDITS;

  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const line = targets[(i * 11) % targets.length];
    t0 = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 2 } });
    completion.push(performance.now() - t0);
    t0 = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 4 } });
    hover.push(performance.now() - t0);
  }
  const rss = peakRssMiB(proc.pid!);
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
  } catch {
    /* gone */
  }
  // a clean exit (the profile of BENCH_CPU_PROF is written then), else a kill
  const exited = new Promise((r) => proc.once('exit', r));
  try {
    await conn.sendNotification('exit');
  } catch {
    /* gone */
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  conn.dispose();
  if (proc.exitCode === null && proc.signalCode === null) proc.kill();
  await exited;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    server: spec.name,
    documents: n,
    bytes: text.length,
    coldOpenMs,
    coldOpenAllMs,
    editMedianMs: median(edits),
    editP95Ms: pct(edits, 95),
    editMaxMs: Math.max(...edits),
    editCpuMs,
    completionP50Ms: median(completion),
    completionP95Ms: pct(completion, 95),
    hoverP50Ms: median(hover),
    hoverP95Ms: pct(hover, 95),
    peakRssMiB: rss,
  };
}

/** The floor: parsing the same text with the yaml package, in this process. */
function parseFloorMs(text: string): number {
  const runs: number[] = [];
  parseAllDocuments(text); // warm up the parser first
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    parseAllDocuments(text);
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('run `npm run build` first');
  const results: Figures[] = [];
  const floors: Record<number, number> = {};
  /** the protocol's floor per size: the same publish from a server that does no work (bench/publish-floor.ts) */
  const publishFloors: Record<number, Floor> = {};
  const fileBytes: Record<number, number> = {};
  for (const n of SIZES) {
    const text = statefulSetFile(n);
    fileBytes[n] = text.length;
    floors[n] = parseFloorMs(text);
    for (const s of servers().filter((x) => !process.env.BENCH_ONLY || x.name === process.env.BENCH_ONLY)) {
      process.stderr.write(`bench: ${s.name}, ${n} StatefulSets (${(text.length / 1024).toFixed(0)} KiB)…\n`);
      results.push(await measure(s, n, text));
    }
    if (process.env.BENCH_FLOOR !== '0') {
      process.stderr.write(`bench: the protocol's floor (publish only), ${n} StatefulSets…\n`);
      publishFloors[n] = await publishFloor(n, EDITS);
    }
  }
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : '–');
  const rows = [['server', 'docs', 'KiB', 'open→diag ms', 'open→all ms', 'edit p50', 'edit p95', 'edit max', 'CPU/edit', 'compl p50', 'compl p95', 'hover p50', 'hover p95', 'peak RSS MiB', 'parse floor ms']];
  for (const r of results) {
    rows.push([r.server, String(r.documents), (r.bytes / 1024).toFixed(0), f(r.coldOpenMs), f(r.coldOpenAllMs), f(r.editMedianMs), f(r.editP95Ms), f(r.editMaxMs), f(r.editCpuMs), f(r.completionP50Ms), f(r.completionP95Ms), f(r.hoverP50Ms), f(r.hoverP95Ms), f(r.peakRssMiB), f(floors[r.documents])]);
  }
  for (const n of SIZES) {
    const fl = publishFloors[n];
    if (fl) rows.push([`(publish only: the floor, ${fl.findings} findings)`, String(n), (fileBytes[n] / 1024).toFixed(0), '–', '–', f(fl.p50), f(fl.p95), '–', '–', '–', '–', '–', '–', '–', f(floors[n])]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  const ratios: Array<Record<string, unknown>> = [];
  for (const n of SIZES) {
    const ours = results.find((r) => r.server === 'statefulset-studio' && r.documents === n);
    if (!ours) continue;
    const peer = results.find((r) => r.server === 'yaml-language-server' && r.documents === n);
    const ratio: Record<string, unknown> = { documents: n, editP95VsParseFloor: ours.editP95Ms / floors[n] };
    if (peer) {
      ratio.editP95OursOverPeer = ours.editP95Ms / peer.editP95Ms;
      ratio.coldOpenOursOverPeer = ours.coldOpenMs / peer.coldOpenMs;
      ratio.completionP95OursOverPeer = ours.completionP95Ms / peer.completionP95Ms;
      ratio.hoverP95OursOverPeer = ours.hoverP95Ms / peer.hoverP95Ms;
    }
    ratios.push(ratio);
    console.log(
      `${n} docs: edit p95 ${f(ours.editP95Ms)} ms = ${f(ours.editP95Ms / floors[n])}× the full-file parse floor` +
        (peer ? `; ours/peer: edit p95 ${f(ours.editP95Ms / peer.editP95Ms)}, open ${f(ours.coldOpenMs / peer.coldOpenMs)}, completion p95 ${f(ours.completionP95Ms / peer.completionP95Ms)}` : ''),
    );
  }
  // growth: each server's edit p95 at the largest size over the smallest (goal ≤ 1.5×), and its peak RSS
  for (const name of [...new Set(results.map((r) => r.server))]) {
    const mine = results.filter((r) => r.server === name).sort((a, b) => a.documents - b.documents);
    if (mine.length < 2) continue;
    const [small, big] = [mine[0], mine[mine.length - 1]];
    console.log(`${name}: edit p95 ${f(small.editP95Ms)} ms at ${small.documents} docs → ${f(big.editP95Ms)} ms at ${big.documents} (×${(big.editP95Ms / small.editP95Ms).toFixed(2)}); peak RSS ${f(big.peakRssMiB)} MiB`);
  }
  // the same for a server that does nothing but publish the file's findings: what the protocol alone costs
  const floorSizes = SIZES.filter((n) => publishFloors[n]).sort((a, b) => a - b);
  if (floorSizes.length >= 2) {
    const [small, big] = [publishFloors[floorSizes[0]], publishFloors[floorSizes[floorSizes.length - 1]]];
    console.log(`publish only (no analysis): p95 ${f(small.p95)} ms at ${floorSizes[0]} docs → ${f(big.p95)} ms at ${floorSizes[floorSizes.length - 1]} (×${(big.p95 / small.p95).toFixed(2)}; ${(big.bytes / 1024).toFixed(0)} KiB of JSON per publish)`);
    console.log(`  of which the client's JSON.parse of one publish: p50 ${f(small.clientParseP50)} → ${f(big.clientParseP50)} ms (×${(big.clientParseP50 / small.clientParseP50).toFixed(1)}), p95 ${f(small.clientParseP95)} → ${f(big.clientParseP95)} ms`);
    // what each server adds to the floor, at the median (p95s of two runs do not subtract)
    for (const name of [...new Set(results.map((r) => r.server))]) {
      const [a, b] = [floorSizes[0], floorSizes[floorSizes.length - 1]].map((n) => results.find((r) => r.server === name && r.documents === n));
      if (!a || !b) continue;
      const [above0, above1] = [a.editMedianMs - small.p50, b.editMedianMs - big.p50];
      console.log(`${name}: above the floor (edit p50 − publish-only p50) ${f(above0)} ms at ${a.documents} docs → ${f(above1)} ms at ${b.documents} (×${(above1 / above0).toFixed(2)})`);
    }
  }
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  console.log(`machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memGiB} GiB, Node ${machine.node}`);
  console.log('targets: edit p95 ≤ 20 ms at 200 docs and ≤ 1/10 of the peer; completion and hover p95 ≤ 5 ms');
  const out = path.join(ROOT, 'bench', 'results.json');
  const prev = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
  fs.writeFileSync(out, JSON.stringify({ ...prev, languageServers: { date: new Date().toISOString(), machine, ourServerNodeFlags: serverFlags(), edits: EDITS, results, parseFloorMs: floors, publishFloor: publishFloors, ratios } }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
