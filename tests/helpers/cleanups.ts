// Per-test cleanups: a test pushes what it must undo (stop a server, remove a folder, restore HOME) as it sets
// things up, and they run after it, last pushed first, whether it passed or not.
import { afterEach, beforeEach } from 'vitest';

export type Cleanup = () => void | Promise<void>;

/**
 * The list a suite's tests push their cleanups onto, run after each test in reverse order. With `restoreHome`,
 * HOME is put back after each test too (suites that point HOME at a temporary ~/.ssh).
 */
export function cleanupsAfterEach(opts: { restoreHome?: boolean } = {}): Cleanup[] {
  const cleanups: Cleanup[] = [];
  if (opts.restoreHome) {
    const home = process.env.HOME;
    beforeEach(() => {
      cleanups.push(() => {
        process.env.HOME = home;
      });
    });
  }
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
