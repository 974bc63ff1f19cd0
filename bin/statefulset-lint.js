#!/usr/bin/env node
// Checks StatefulSet YAML files or folders from the command line.
require('../dist/lint.js');
