// The live-source methods over the desktop app's IPC handler, like every other method: answered for the app's own
// top frame only, validated before the engine sees them, and never echoing a secret back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { handleCall, type IpcDeps } from '../../../electron/main/ipc.ts';
import { appUrlMatcher } from '../../../electron/main/window.ts';

// window.ts (appUrlMatcher) imports Electron, which has no binary here: the one module mocked.
vi.mock('electron', () => ({}));

const INDEX = 'file:///opt/flumen/out/renderer/index.html';
const from = (url: string, parent: unknown = null) =>
  ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

let dir: string;
let service: EngineService;
let deps: IpcDeps;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-live-ipc-'));
  service = await EngineService.open(path.join(dir, 'ws'), { create: true });
  deps = { api: () => service, isAppUrl: appUrlMatcher(INDEX) };
});

afterAll(async () => {
  await service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('live sources over IPC', () => {
  it('adds, lists, pauses, resumes and removes a tail for the app, and refuses a foreign frame', async () => {
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'one line\n');
    const added = await handleCall(
      from(INDEX),
      { method: 'addLiveSource', params: { kind: 'tail', paths: [file] } },
      deps,
    );
    expect(added).toMatchObject({ result: { added: { id: 'live-1', kind: 'tail', state: 'running' } } });
    const pause = { method: 'pauseLiveSource', params: { id: 'live-1' } };
    expect(await handleCall(from('https://evil.example/'), pause, deps)).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect(await handleCall(from(INDEX), pause, deps)).toMatchObject({ result: { state: 'paused' } });
    expect(
      await handleCall(from(INDEX), { method: 'resumeLiveSource', params: { id: 'live-1' } }, deps),
    ).toMatchObject({ result: { state: 'running' } });
    expect(await handleCall(from(INDEX), { method: 'liveSources' }, deps)).toMatchObject({
      result: [{ id: 'live-1' }],
    });
    expect(
      await handleCall(from(INDEX), { method: 'removeLiveSource', params: { id: 'live-1' } }, deps),
    ).toEqual({ result: undefined });
    expect(await handleCall(from(INDEX), { method: 'liveSources' }, deps)).toEqual({ result: [] });
  });

  it('validates before the engine: a wrong login pairing is refused without naming the password', async () => {
    const params = {
      kind: 'ssh',
      destination: 'web1',
      path: '/var/log/syslog',
      auth: 'agent',
      password: 'pa55',
    };
    const reply = await handleCall(from(INDEX), { method: 'addLiveSource', params }, deps);
    expect(reply).toEqual({
      error: {
        code: 'invalid-request',
        message: 'addLiveSource: password: a password is only used with password login',
      },
    });
  });
});
