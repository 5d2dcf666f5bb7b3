// `flumen templates`: the mined log templates with their counts, most frequent first.
import { loadMiner } from '../../engine/analysis/template-store.ts';
import { formatCount } from '../../../shared/quantities.ts';
import { parse, WORKSPACE_OPTION, workspaceDir } from '../options.ts';
import { Workspace } from '../../engine/store/index.ts';

export async function templatesCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { ...WORKSPACE_OPTION, json: { type: 'boolean' } });
  // Opening checks that the folder is a workspace (clear error otherwise); the templates live beside its manifest.
  const ws = await Workspace.open(workspaceDir(values.workspace));
  try {
    const templates = loadMiner(ws.dir)
      .templates()
      .sort((a, b) => b.count - a.count || a.id - b.id);
    for (const t of templates) {
      if (values.json) {
        const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());
        const row = {
          id: t.id,
          template: t.template,
          count: t.count,
          firstSeen: iso(t.firstSeen),
          lastSeen: iso(t.lastSeen),
          example: t.example,
        };
        process.stdout.write(JSON.stringify(row) + '\n');
      } else {
        process.stdout.write(
          `${String(t.id).padStart(6)} ${formatCount(t.count).padStart(10)}  ${t.template}\n`,
        );
      }
    }
    return 0;
  } finally {
    await ws.close();
  }
}
