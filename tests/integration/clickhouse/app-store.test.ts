// The desktop app's ClickHouse workspace against a real server: the URL and password typed in the app bind a new
// workspace through the engine worker, the password is kept only sealed (safeStorage stand-in), reopening reads
// from ClickHouse with it, and a wrong password is refused without being written or logged anywhere.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiNotice } from '../../../shared/api.ts';
import { EngineWorkerClient } from '../../../electron/engine/service/worker-client.ts';
import {
  openWithStorePassword,
  STORE_SECRET_FILE,
  storeUrlForWorkspace,
} from '../../../electron/main/clickhouse-password.ts';
import { safeStorageVault, type SafeStorageLike } from '../../../electron/main/secret-vault.ts';
import { LOGHUB } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const safeStorage: SafeStorageLike = {
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret' as never,
  encryptStringAsync: async (plain: string) => Buffer.from(Buffer.from(`enc(${plain})`).map((b) => b ^ 0x5a)),
  decryptStringAsync: async (buf: Buffer) => ({
    shouldReEncrypt: false,
    result: /^enc\((.*)\)$/s.exec(Buffer.from(buf.map((b) => b ^ 0x5a)).toString())![1],
  }),
};

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('a ClickHouse workspace in the app', () => {
  let server: ClickHouseServer;
  let tmp: string;
  const logged: string[] = [];
  const realWrite = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    server = await ClickHouseServer.start();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-ch-app-'));
    // Everything the engine (and its worker) says on stderr, to check that no password is ever logged.
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      logged.push(Buffer.from(chunk).toString('utf8'));
      return realWrite(chunk, ...rest);
    }) as typeof process.stderr.write;
  });
  afterAll(async () => {
    process.stderr.write = realWrite;
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('binds with the typed password, keeps it sealed, reopens on ClickHouse, and never writes or logs it', async () => {
    const vault = (await safeStorageVault(safeStorage, 'linux'))!;
    const dir = path.join(tmp, 'ws');
    const start = (store: string) => EngineWorkerClient.start(dir, { create: true, store, vault });

    const wrong = await openWithStorePassword(
      dir,
      { url: server.storeUrl('app'), password: 'not-the-password' },
      vault,
      start,
    ).catch((e: unknown) => e as Error);
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toMatch(/Authentication failed|password is incorrect|Wrong password/);
    expect(fs.existsSync(path.join(dir, STORE_SECRET_FILE))).toBe(false);

    const client = await openWithStorePassword(
      dir,
      { url: server.storeUrl('app'), password: PASSWORD },
      vault,
      start,
    );
    try {
      const done = new Promise<void>((resolve) =>
        client.subscribe((n: ApiNotice) => {
          if (n.type === 'progress' && n.progress.done) resolve();
        }),
      );
      await client.ingest({ paths: [path.join(LOGHUB, 'OpenSSH', 'OpenSSH_2k.log')] });
      await done;
      expect(await client.count({ query: '', from: null, to: null })).toBe(2000);
    } finally {
      await client.close();
    }

    // Reopened as the app does at start: the store from store.json, the password from the vault.
    const store = await storeUrlForWorkspace(dir, vault, {});
    expect(store).toContain(`:${PASSWORD}@`);
    const again = await EngineWorkerClient.start(dir, { store: store!, vault });
    try {
      expect(await again.count({ query: 'sshd', from: null, to: null })).toBeGreaterThan(100);
    } finally {
      await again.close();
    }
    // The events are in ClickHouse, not in local segments; the password nowhere in the folder or the logs.
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
    expect(files).toContain('store.json');
    for (const f of files) {
      const file = path.join(dir, f);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file, 'latin1'), f).not.toContain(PASSWORD);
    }
    expect(logged.join('')).not.toContain(PASSWORD);
    expect((wrong as Error).message).not.toContain('not-the-password');
  }, 120_000);
});
