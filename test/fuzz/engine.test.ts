// Fuzzing the engine: mutated real manifests through analyzeText, the incremental FileAnalyzer,
// complete, hover and quickFixes at random positions. Never a throw, never a hang (each call within
// 10 s per 100 KiB, at least 10 s: a hang guard, not a speed gate), every diagnostic a valid range
// inside the document with a code; the incremental analysis says what a fresh one says.
// Plus the special inputs: an alias bomb, 10,000-level nesting (block and flow), random bytes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText, FileAnalyzer, fileDiagnostics } from '../../server/src/engine/analyzer';
import { complete } from '../../server/src/engine/completion';
import { hover } from '../../server/src/engine/hover';
import { quickFixes } from '../../server/src/engine/quickfix';
import type { Diagnostic } from '../../server/src/engine/diagnostic';
import {
  HANG,
  aliasBomb,
  applyEdits,
  badRange,
  boundMs,
  corpus,
  deepBlock,
  deepBlockSeq,
  deepFlow,
  lspLineLengths,
  mutantArb,
  mutantText,
  randomBytes,
  report,
  round,
  LONG,
  RUNS,
  saveInput,
  SEED,
  Timing,
  type Rng,
} from './common';


// the engine prints nothing of its own: no Node warnings (they reach the CLI's stderr and the editor's log)
const warnings: string[] = [];
const emitWarning = process.emitWarning;
process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
after(() => {
  process.emitWarning = emitWarning;
  assert.deepEqual(warnings, [], 'Node warnings while fuzzing the engine');
});
const URI = 'file:///fuzz/mutant.yaml';

const mutantAnalysis = new Timing(); // analyzeText of the mutated manifests
const mutantRequests = new Timing(); // each complete / hover / quickFixes call on them
const specialAnalysis = new Timing(); // the same for the special inputs (bomb, nesting, random bytes)
const specialRequests = new Timing();
let cases = 0;
let calls = 0;
let slowestInput = '';
const specials: Record<string, unknown> = {};

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

function checkDiagnostics(text: string, ds: Diagnostic[], what: string): void {
  const lens = lspLineLengths(text);
  for (const d of ds) {
    assert.ok(typeof d.code === 'string' && d.code.length > 0, `${what}: a diagnostic without a code: ${JSON.stringify(d)}`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `${what}: [${d.code}] without a message`);
    assert.ok(d.severity !== undefined && d.severity >= 1 && d.severity <= 4, `${what}: [${d.code}] severity ${d.severity}`);
    assert.equal(d.source, 'statefulset-studio', `${what}: [${d.code}] source`);
    const bad = badRange(d.range, lens);
    assert.equal(bad, undefined, `${what}: [${d.code}] ${d.message}: ${bad}`);
  }
}

/** Positions: most inside the document (their results must be inside too), some past its end. */
function positions(text: string, picks: Array<[number, number]>): Array<{ line: number; character: number; inside: boolean }> {
  const lens = lspLineLengths(text);
  return picks.map(([a, b], i) => {
    if (i === picks.length - 1) return { line: Math.floor(a * (lens.length + 3)), character: Math.floor(b * 200), inside: false };
    const line = Math.min(lens.length - 1, Math.floor(a * lens.length));
    return { line, character: Math.floor(b * (lens[line] + 1)), inside: true };
  });
}

/** Everything an editor asks of the engine about one text; returns the diagnostics. Special inputs are timed apart. */
function everything(text: string, label: string, picks: Array<[number, number]>, fixPick = 0, special = true): Diagnostic[] {
  const analysis = special ? specialAnalysis : mutantAnalysis;
  const requests = special ? specialRequests : mutantRequests;
  const bytes = Buffer.byteLength(text);
  const bound = boundMs(bytes);
  const a = timed(() => analyzeText(text, { uri: URI }));
  analysis.add(label, bytes, a.ms);
  if (!special && analysis.slowest?.label === label && analysis.slowest.ms === round(a.ms)) slowestInput = text;
  assert.ok(a.ms <= bound, `${label}: analysis took ${round(a.ms)} ms for ${bytes} bytes (hang guard ${bound} ms)`);
  const ds = a.value.diagnostics;
  checkDiagnostics(text, ds, label);
  const lens = lspLineLengths(text);
  for (const pos of positions(text, picks)) {
    const c = timed(() => complete(text, pos));
    const h = timed(() => hover(text, pos));
    calls += 2;
    requests.add(`${label} complete@${pos.line}:${pos.character}`, bytes, c.ms);
    requests.add(`${label} hover@${pos.line}:${pos.character}`, bytes, h.ms);
    assert.ok(c.ms <= bound && h.ms <= bound, `${label}: completion ${round(c.ms)} ms / hover ${round(h.ms)} ms (hang guard ${bound} ms)`);
    assert.ok(Array.isArray(c.value), 'completion returns a list');
    for (const it of c.value) {
      assert.ok(typeof it.label === 'string' && it.label.length > 0, `${label}: completion item without a label`);
      const edit = it.textEdit as { range?: Rng } | undefined;
      if (pos.inside && edit?.range) assert.equal(badRange(edit.range, lens), undefined, `${label}: completion "${it.label}" at ${pos.line}:${pos.character}: ${badRange(edit.range, lens)}`);
    }
    if (h.value) {
      const v = h.value.contents as { kind?: string; value?: string };
      assert.ok(typeof v.value === 'string' && v.value.length > 0, `${label}: empty hover`);
      if (pos.inside && h.value.range) assert.equal(badRange(h.value.range as Rng, lens), undefined, `${label}: hover at ${pos.line}:${pos.character}: ${badRange(h.value.range as Rng, lens)}`);
    }
  }
  // quick fixes for what was found (as the client sends them back), then one of them applied
  const q = timed(() => quickFixes(URI, ds, text));
  calls++;
  requests.add(`${label} quickFixes(${ds.length})`, bytes, q.ms);
  assert.ok(q.ms <= bound, `${label}: quick fixes took ${round(q.ms)} ms`);
  for (const action of q.value) {
    assert.ok(action.title, `${label}: a code action without a title`);
    for (const e of action.edit?.changes?.[URI] ?? []) assert.equal(badRange(e.range, lens), undefined, `${label}: fix "${action.title}": ${badRange(e.range, lens)}`);
  }
  if (q.value.length) {
    const action = q.value[Math.floor(fixPick * q.value.length)];
    const fixed = applyEdits(text, action.edit?.changes?.[URI] ?? []);
    const f = timed(() => analyzeText(fixed, { uri: URI }));
    calls++;
    checkDiagnostics(fixed, f.value.diagnostics, `${label} after "${action.title}"`);
  }
  return ds;
}

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const picksArb = fc.array(fc.tuple(frac, frac), { minLength: 3, maxLength: 6 });

test(`mutated real manifests through the engine (${RUNS} cases, seed ${SEED})`, HANG, () => {
  // warm up (the JIT), so that the slowest input is about the input, not the first call
  for (const c of corpus) for (let i = 0; i < 3; i++) analyzeText(c.text, { uri: URI });
  fc.assert(
    fc.property(mutantArb, picksArb, frac, (m, picks, fixPick) => {
      cases++;
      const label = `${m.base} + ${m.mutations.map((x) => x.op).join(',')}`;
      const text = mutantText(m);
      const ds = everything(text, label, picks, fixPick, false);
      // the analyzer kept from the original text (as the editor keeps it) says what a fresh one says
      const base = corpus.find((c) => c.name === m.base)!.text;
      const fa = new FileAnalyzer();
      fa.analyze(base);
      const incremental = fileDiagnostics(fa.analyze(text), { uri: URI });
      assert.deepEqual(incremental, ds, `${label}: incremental analysis differs from a fresh one`);
      assert.deepEqual(warnings.splice(0), [], `${label}: Node warnings`);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('an alias bomb (billion laughs): aliases are not expanded, bounded time, valid findings', HANG, () => {
  const bomb = aliasBomb();
  const picks: Array<[number, number]> = [];
  const lines = bomb.split('\n').length;
  for (let i = 0; i < lines; i++) picks.push([(i + 0.5) / lines, 0.6]);
  const t0 = performance.now();
  const ds = everything(bomb, 'alias bomb', picks);
  specials.aliasBomb = { bytes: bomb.length, ms: round(performance.now() - t0), diagnostics: ds.length };
  assert.ok(ds.length <= 200, 'a bounded list of findings');
  // the same bomb in a stream with a healthy StatefulSet: the healthy one is still checked
  const both = `${bomb}---\n${corpus[0].text}`;
  everything(both, 'alias bomb + cassandra', [[0.9, 0.5]]);
});

for (const [name, make] of [
  // 10,000 levels of block mappings need 50 MB of indentation (too large to parse as you type): in long runs
  ...(LONG ? ([['block mappings, 50 MB', () => deepBlock(10_000, 1)]] as const) : []),
  ['block mappings, 1 MB', () => deepBlock(1_400, 1)],
  ['block sequences', () => deepBlockSeq(10_000)],
  ['flow collections', () => deepFlow(10_000)],
] as const) {
  test(`${name.includes(', 1 MB') ? '1,400' : '10,000'}-level nesting (${name}): no stack overflow, bounded time, completion and hover answer`, HANG, () => {
    const text = make();
    const lines = text.split('\n').length;
    const t0 = performance.now();
    const ds = everything(text, `nesting: ${name}`, [[0.5, 0.9], [(lines - 2) / lines, 0.99], [0.0001, 0.5], [1.5, 0.1]]);
    specials[`nesting: ${name}`] = { bytes: text.length, ms: round(performance.now() - t0), diagnostics: ds.map((d) => d.code) };
    // a document too deep to read is said so, never silently passed
    const fresh = new FileAnalyzer().analyze(text);
    if (fresh.documents.some((d) => d.doc.fatal)) assert.ok(ds.some((d) => d.code === 'yaml-syntax'), `${name}: the parser gave up but no yaml-syntax finding: ${JSON.stringify(ds.map((d) => d.code))}`);
  });
}

test('a file of random bytes: nothing to say unless it claims to be a StatefulSet', HANG, () => {
  const bytes = randomBytes(256 * 1024);
  for (const [enc, text] of [
    ['latin1', bytes.toString('latin1')],
    ['utf8', bytes.toString('utf8')],
  ] as const) {
    const t0 = performance.now();
    const ds = everything(text, `256 KiB random bytes (${enc})`, [[0.5, 0.5], [0.1, 0.9], [0.99, 0.1]]);
    specials[`randomBytes-${enc}`] = { bytes: Buffer.byteLength(text), ms: round(performance.now() - t0), diagnostics: ds.length };
    const claims = /^kind:[ \t]*["']?(StatefulSet|Service|PersistentVolumeClaim|PodDisruptionBudget)\b/m.test(text);
    if (!claims) assert.deepEqual(ds, [], `${enc}: random bytes are not our file`);
    // behind a StatefulSet header they are a YAML error, said within a bounded list
    const sts = `apiVersion: apps/v1\nkind: StatefulSet\n${text}`;
    const ds2 = everything(sts, `StatefulSet header + random bytes (${enc})`, [[0.5, 0.5], [0.01, 0.3]]);
    // (random bytes may hold `{{`, and then the document is a template, checked once rendered)
    const expected = /\{\{/.test(text) ? 'template' : 'yaml-syntax';
    assert.ok(ds2.some((d) => d.code === expected), `${enc}: random bytes in a StatefulSet: ${expected} expected, got ${JSON.stringify(ds2.map((d) => d.code))}`);
  }
});

after(() => {
  const saved = slowestInput ? saveInput('engine-slowest.yaml', slowestInput) : undefined;
  report('engine', {
    cases,
    calls,
    analysis: mutantAnalysis.summary(),
    requests: mutantRequests.summary(),
    slowestInputFile: saved,
    specials,
    specialAnalysis: specialAnalysis.summary(),
    specialRequests: specialRequests.summary(),
  });
});
