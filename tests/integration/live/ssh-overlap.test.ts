// Two SSH sources naming one remote file on one host, port and user (a glob and the file, or the same URI twice,
// even through a ~/.ssh/config alias and user@host:port) read it once: its lines are stored exactly once, and the
// second source says once which source already follows it. In the app, removing the source that reads it hands the
// file to the other, which goes on from where the first stopped. Against a real OpenSSH sshd on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveAddResult, LiveSourceStatus } from '../../../shared/api.ts';
import { call } from '../../helpers/api-call.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { countOf } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { startCollect, waitFor } from './collect-process.ts';
import { sshdInTempDir } from './sshd-peer.ts';
import { exactlyOnce, occurrences, remoteLines as lines, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

const peer = () => sshdInTempDir('flumen-ssh-overlap-', cleanups);

describe.runIf(requireProgram('/usr/sbin/sshd') && requireProgram('ssh-keygen'))(
  'two SSH sources naming one remote file',
  () => {
    it('a remote file and a glob matching it: its lines stored once, the overlap said once', async () => {
      const { dir, sshd } = await peer();
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      const app = path.join(logs, 'app.log');
      fs.writeFileSync(app, lines(1, 400));
      fs.writeFileSync(path.join(logs, 'other.log'), lines(401, 500));
      const ws = path.join(dir, 'ws');
      const collect = await startCollect(
        ['--workspace', ws, '--ssh', `ssh://flumen-test${app}`, '--ssh', `ssh://flumen-test${logs}/*.log`],
        { HOME: sshd.home },
        2,
      );
      await waitFor('both files', async () => (await countOf(ws, '').catch(() => 0)) >= 500);
      fs.appendFileSync(app, lines(501, 700));
      await waitFor('lines appended to the shared file', async () => (await countOf(ws, '')) >= 700);
      // A new file is found by a rescan of the glob, which meets the shared file again: still said once.
      fs.writeFileSync(path.join(logs, 'new.log'), lines(701, 750));
      await waitFor('a rescan of the glob', async () => (await countOf(ws, '')) >= 750, 60_000);
      expect(await collect.stop(), collect.stderr()).toBe(0);

      const events = await storedEvents(ws);
      expect(
        exactlyOnce(
          events.map((e) => String(e.message)),
          750,
        ),
        collect.stderr(),
      ).toEqual({ lost: [], duplicated: [] });
      expect(events.length).toBe(750);
      const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
      const shared = `ssh://${user}@127.0.0.1:${sshd.port}${app} is already followed by ssh://flumen-test`;
      expect(occurrences(collect.stderr(), shared), collect.stderr()).toBe(1);
      expect(occurrences(collect.stderr(), 'is already followed by'), collect.stderr()).toBe(1);
    }, 120_000);

    it('the same remote file named twice, by config alias and by user@host:port: stored once, said once', async () => {
      const { dir, sshd } = await peer();
      const remote = path.join(dir, 'r.log');
      fs.writeFileSync(remote, lines(1, 300));
      const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
      const ws = path.join(dir, 'ws');
      const direct = `ssh://${user}@127.0.0.1:${sshd.port}${remote}`;
      const collect = await startCollect(
        [
          '--workspace',
          ws,
          '--ssh',
          `ssh://flumen-test${remote}`,
          '--ssh',
          direct,
          '--ssh',
          direct,
          '--identity',
          path.join(sshd.home, '.ssh', 'id_test'),
        ],
        { HOME: sshd.home },
        3,
      );
      await waitFor('the remote lines', async () => (await countOf(ws, '').catch(() => 0)) >= 300);
      fs.appendFileSync(remote, lines(301, 400));
      await waitFor('appended lines', async () => (await countOf(ws, '')) >= 400);
      expect(await collect.stop(), collect.stderr()).toBe(0);

      const events = await storedEvents(ws);
      expect(
        exactlyOnce(
          events.map((e) => String(e.message)),
          400,
        ),
        collect.stderr(),
      ).toEqual({ lost: [], duplicated: [] });
      // Three sources, one reader: each of the other two says so once.
      expect(occurrences(collect.stderr(), `${direct} is already followed by`), collect.stderr()).toBe(2);
    }, 120_000);

    it('in the app, removing the source that reads the shared file hands it to the other, which goes on from there', async () => {
      const { dir, sshd } = await peer();
      const home = process.env.HOME;
      cleanups.push(() => {
        process.env.HOME = home;
      });
      // The service reads ~/.ssh/config and known_hosts the way the user's ssh would: from this HOME.
      process.env.HOME = sshd.home;
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      const app = path.join(logs, 'app.log');
      fs.writeFileSync(app, lines(1, 300));
      fs.writeFileSync(path.join(logs, 'other.log'), lines(301, 400));
      const ws = path.join(dir, 'ws');
      const service = await EngineService.open(ws, { create: true, liveCommitEveryMs: 100 });
      cleanups.push(() => service.close());
      const keyFile = path.join(sshd.home, '.ssh', 'id_test');
      const add = async (remote: string): Promise<string> => {
        const req = { kind: 'ssh', destination: 'flumen-test', path: remote, auth: 'key', keyFile };
        const r = await call<LiveAddResult>(service, 'addLiveSource', req);
        if (!('added' in r)) throw new Error(`expected ${remote} to be added`);
        return r.added.id;
      };
      const file = await add(app);
      const glob = await add(`${logs}/*.log`);
      const count = () => service.count({ query: '', from: null, to: null });
      const status = async (id: string) =>
        (await call<LiveSourceStatus[]>(service, 'liveSources')).find((s) => s.id === id)!;
      await waitFor('both files', async () => (await count()) === 400);
      // Whichever connected first reads app.log: the file source then follows 1 file, else none.
      const fileHolds = (await status(file)).active === 1;
      const [holder, other] = fileHolds ? [file, glob] : [glob, file];
      await call(service, 'removeLiveSource', { id: holder });
      fs.appendFileSync(app, lines(401, 500));
      // Taken over at the other source's next look (every 10 s), from where the removed one stopped.
      await waitFor('the lines appended after the removal', async () => (await count()) === 500, 60_000);
      expect((await status(other)).state).toBe('running');
      await service.close();
      const events = await storedEvents(ws);
      expect(
        exactlyOnce(
          events.map((e) => String(e.message)),
          500,
        ),
      ).toEqual({ lost: [], duplicated: [] });
    }, 120_000);
  },
);
