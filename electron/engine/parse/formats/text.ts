// The fallback: no timestamps found, every line is its own event with ts null.
import type { FormatDef } from '../format.ts';

export const text: FormatDef = {
  name: 'text',
  description: 'Plain text without timestamps: every line is an event with no time',
  multiline: false,
  test: () => true,
  create: () => (line) => ({ ts: null, host: null, severity: null, message: line, fields: {} }),
};
