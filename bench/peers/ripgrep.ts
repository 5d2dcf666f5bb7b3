// ripgrep as the peer and the count oracle: `rg -c -w -i WORD FILE` counts lines holding the word.
import { runMeasured, type Measured } from '../measure/process.ts';

export interface RgRun {
  measured: Measured;
  count: number | null;
}

export async function rgCount(file: string, word: string): Promise<RgRun> {
  const measured = await runMeasured('rg', ['-c', '-w', '-i', '--', word, file]);
  // rg exits 1 with no output when nothing matched: that is a count of 0, not a failure.
  if (measured.code === 1 && measured.stdout.trim() === '') return { measured, count: 0 };
  return { measured, count: measured.code === 0 ? Number(measured.stdout.trim()) : null };
}
