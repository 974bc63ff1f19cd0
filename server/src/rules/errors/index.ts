// Rules for what the API server or the StatefulSet controller will refuse (default severity: error).
import type { Rule } from '../framework';
import { statefulsetNameTooLong } from './statefulset-name-too-long';

export const errorRules: Rule[] = [statefulsetNameTooLong];
