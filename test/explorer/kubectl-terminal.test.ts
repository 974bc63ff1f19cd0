// Terminal in Pod / Port Forward arguments: the user's kubectl found on PATH (a clear message when it is not),
// pointed at the explorer's kubeconfig files and context — proven by running that kubectl with the same
// environment and context against the simulator.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { statefulSet } from '../../simulator/index';
import { execArgs, findKubectl, KUBECTL_MISSING, kubectlEnv, portForwardArgs, validatePorts } from '../../client/src/cluster/kubectlTerminal';
import { HAS_KUBECTL } from '../simulator/testkit';
import { setup, until, type Setup } from './helpers';

describe('kubectl in a terminal', { timeout: 60_000 }, () => {
  let s: Setup;
  before(async () => {
    s = await setup({ scenario: 'empty', namespace: 'default' });
    s.api.create(statefulSet({ name: 'web', replicas: 1 }));
    await until(s.conn.model, () => s.conn.model.view('default/web')?.ready === 1, 'ready');
  });
  after(async () => {
    await s.close();
  });

  test('missing kubectl: undefined, and the message says what to do', () => {
    assert.equal(findKubectl({ PATH: '/nonexistent-dir' }), undefined);
    assert.match(KUBECTL_MISSING, /kubectl was not found on PATH/);
  });

  test('arguments and environment carry the explorer kubeconfig and context (kubectl agrees)', { skip: HAS_KUBECTL ? false : 'kubectl is not installed' }, async () => {
    const kubectl = findKubectl();
    assert.ok(kubectl);
    const t = { files: s.conn.files, context: s.conn.context, namespace: 'default', pod: 'web-0' };
    assert.deepEqual(execArgs(t, 'web'), ['--context', s.conn.context, '--namespace', 'default', 'exec', '-it', 'web-0', '-c', 'web', '--', '/bin/sh']);
    assert.deepEqual(portForwardArgs(t, '8080:80'), ['--context', s.conn.context, '--namespace', 'default', 'port-forward', 'pod/web-0', '8080:80']);
    assert.equal(validatePorts('8080:80'), undefined);
    assert.match(validatePorts('80:99999')!, /1–65535/);
    // the same env and context reach the simulator (exec itself needs a streaming upgrade the simulator does not serve)
    const { stdout: out } = await promisify(execFile)(kubectl!, ['--context', t.context, '--namespace', t.namespace, 'get', 'pod', t.pod, '-o', 'name', '--cache-dir', `${s.api.dir}/kc-cache`], {
      env: { ...process.env, HOME: s.api.dir, ...kubectlEnv(t) },
      encoding: 'utf8',
    });
    assert.equal(out.trim(), 'pod/web-0');
  });
});
