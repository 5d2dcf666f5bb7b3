// `flumen formats`: which format each source got and why; without a workspace, the formats Flumen knows.
import { listFormats } from '../../engine/parse/index.ts';
import { formatDirsFor, userConfigDir } from '../../engine/pipeline/format-dirs.ts';
import path from 'node:path';
import { openWorkspace, parse, WORKSPACE_OPTION } from '../options.ts';

export async function formatsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { ...WORKSPACE_OPTION, json: { type: 'boolean' } });
  if (!values.workspace && !process.env.FLUMEN_WORKSPACE) {
    const formats = listFormats({ formatDirs: [path.join(userConfigDir(), 'formats')] });
    for (const f of formats) {
      process.stdout.write(
        values.json ? JSON.stringify(f) + '\n' : `${f.name.padEnd(18)} ${f.description}\n`,
      );
    }
    return 0;
  }
  const ws = await openWorkspace(values.workspace);
  try {
    if (!values.json) {
      const dirs = formatDirsFor(ws.dir).join(', ');
      process.stdout.write(`user formats are read from: ${dirs}\n`);
    }
    for (const s of ws.sources()) {
      const row = { source: s.uri, format: s.format, reason: s.formatReason, events: s.events };
      process.stdout.write(
        values.json
          ? JSON.stringify(row) + '\n'
          : `${s.uri}\n  ${s.format ?? '-'}: ${s.formatReason ?? ''} (${s.events} events)\n`,
      );
    }
    return 0;
  } finally {
    await ws.close();
  }
}
