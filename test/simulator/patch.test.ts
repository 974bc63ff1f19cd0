// Units: strategic-merge directives, merge patch, JSON patch errors, selectors, canonical JSON, AGE.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson } from '../../simulator/admission';
import { revisionHash } from '../../simulator/controller';
import { applyPatch, mergePatch, strategicMerge } from '../../simulator/patch';
import { labelSelectorString, matchesLabelSelector, parseFieldSelector, parseLabelSelector } from '../../simulator/selectors';
import { ApiError } from '../../simulator/status';
import { humanDuration } from '../../simulator/tables';

describe('patch and selector units', () => {
  test('strategic merge: lists merged by key, $patch delete in a list, null deletes, directives', () => {
    const orig = {
      spec: {
        containers: [
          { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'b', image: 'b:1' },
        ],
        tolerations: [{ key: 'k1' }],
        finalizers: ['f1', 'f2'],
      },
      metadata: { labels: { keep: 'y', drop: 'y' } },
    };
    const out = strategicMerge(orig, {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
        containers: [
          { name: 'a', env: [{ name: 'Y', value: '3' }, { name: 'Z', value: '4' }], ports: [{ containerPort: 81 }] },
          { name: 'b', $patch: 'delete' },
        ],
        tolerations: [{ key: 'k2' }],
        '$deleteFromPrimitiveList/finalizers': ['f1'],
      },
      metadata: { labels: { drop: null } },
    }) as any;
    assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['a']);
    assert.deepEqual(out.spec.containers[0].env, [{ name: 'X', value: '1' }, { name: 'Y', value: '3' }, { name: 'Z', value: '4' }]);
    assert.deepEqual(out.spec.containers[0].ports.map((p: any) => p.containerPort), [80, 81]);
    assert.equal(out.spec.containers[0].image, 'a:1');
    assert.deepEqual(out.spec.tolerations, [{ key: 'k2' }], 'lists without a merge key are replaced');
    assert.deepEqual(out.spec.finalizers, ['f2']);
    assert.deepEqual(out.metadata.labels, { keep: 'y' });
    assert.deepEqual(orig.spec.containers.length, 2, 'input untouched');
  });

  test('strategic merge: $patch replace on a map and on a list, $retainKeys', () => {
    assert.deepEqual(strategicMerge({ a: { x: 1, y: 2 } }, { a: { $patch: 'replace', z: 3 } }), { a: { z: 3 } });
    assert.deepEqual(strategicMerge({ containers: [{ name: 'a' }, { name: 'b' }] }, { containers: [{ $patch: 'replace' }, { name: 'c' }] }), { containers: [{ name: 'c' }] });
    assert.deepEqual(
      strategicMerge({ strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { strategy: { $retainKeys: ['type'], type: 'OnDelete' } }),
      { strategy: { type: 'OnDelete' } },
    );
  });

  test('merge patch (RFC 7386) replaces lists and deletes with null', () => {
    assert.deepEqual(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } }), { a: [3], b: { d: 2 } });
  });

  test('applyPatch: bad JSON → 400, failed JSON-patch test op → 422, unknown type → 415', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ApiError ? e.code : -1;
      }
      return 0;
    };
    assert.equal(code(() => applyPatch({}, 'application/merge-patch+json', '{')), 400);
    assert.equal(code(() => applyPatch({ a: 1 }, 'application/json-patch+json', '[{"op":"test","path":"/a","value":2}]')), 422);
    assert.equal(code(() => applyPatch({}, 'application/xml', '{}')), 415);
    assert.deepEqual(applyPatch({ a: 1 }, 'application/json-patch+json; charset=utf-8', '[{"op":"add","path":"/b","value":2}]'), { a: 1, b: 2 });
  });

  test('label selectors: string forms, LabelSelector objects and their string', () => {
    const o = { metadata: { labels: { app: 'web', tier: 'front' } } };
    assert.equal(parseLabelSelector('app=web,tier in (front, back)')(o), true);
    assert.equal(parseLabelSelector('app==web,!missing')(o), true);
    assert.equal(parseLabelSelector('app!=web')(o), false);
    assert.equal(parseLabelSelector('tier notin (front)')(o), false);
    assert.throws(() => parseLabelSelector('app in front'), ApiError);
    const sel = { matchLabels: { tier: 'front', app: 'web' }, matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] };
    assert.equal(matchesLabelSelector(sel, o.metadata.labels), true);
    assert.equal(labelSelectorString(sel), 'app=web,tier=front,!env');
    assert.equal(parseFieldSelector('metadata.name=x,status.phase!=Running')({ metadata: { name: 'x' }, status: { phase: 'Pending' } }), true);
  });

  test('canonical JSON sorts keys at every level like Go; revision hashes use the safe alphabet', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: null }], c: 'x' } }), '{"a":{"c":"x","d":[{"y":null,"z":1}]},"b":1}');
    const h = revisionHash('{"spec":{}}');
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(revisionHash('{"spec":{}}'), h, 'deterministic');
    assert.notEqual(revisionHash('{"spec":{}}', 1), h, 'collision count changes it');
  });

  test('AGE like kubectl (duration.HumanDuration)', () => {
    const s = 1000;
    assert.deepEqual(
      [0, 59 * s, 119 * s, 125 * s, 600 * s, 3 * 3600 * s + 60 * s, 9 * 3600 * s, 50 * 3600 * s, 400 * 86400 * s, 800 * 86400 * s].map(humanDuration),
      ['0s', '59s', '119s', '2m5s', '10m', '3h1m', '9h', '2d2h', '400d', '2y'],
    );
  });
});
