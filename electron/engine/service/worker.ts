// The engine's worker thread: hosts one EngineService so that queries and ingest never block the thread that
// owns the windows (Electron's main process). Started by EngineWorkerClient.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { tsWorkerData } from '../store/spawn-ts-worker.ts';
import { toApiError } from './api-failure.ts';
import { dispatch } from './dispatch.ts';
import { EngineService } from './engine-service.ts';
import type { SecretVault } from './secret-vault.ts';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol.ts';

/** The client's vault, reached by messages: secrets cross only between the threads of this one process. */
class VaultOverPort implements SecretVault {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(text: string): void; reject(err: Error): void }>();

  constructor(private readonly post: (m: FromWorker) => void) {}

  seal(plain: string): Promise<string> {
    return this.ask('seal', plain);
  }

  open(sealed: string): Promise<string> {
    return this.ask('open', sealed);
  }

  reply(m: Extract<ToWorker, { type: 'vault-reply' }>): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.text != null) w.resolve(m.text);
    else w.reject(new Error(m.error ?? 'the vault failed'));
  }

  private ask(op: 'seal' | 'open', text: string): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ type: 'vault', id, op, text });
    });
  }
}

async function serve(port: MessagePort): Promise<void> {
  const post = (m: FromWorker) => port.postMessage(m);
  const data = tsWorkerData<EngineWorkerData>();
  const vault = data.vault ? new VaultOverPort(post) : null;
  // Vault replies may be needed while the service opens (restoring live sources): listen before opening.
  const early: ToWorker[] = [];
  let handle = (msg: ToWorker) => {
    if (msg.type === 'vault-reply') vault?.reply(msg);
    else early.push(msg);
  };
  port.on('message', (msg: ToWorker) => handle(msg));
  let service: EngineService;
  try {
    service = await EngineService.open(data.dir, {
      create: data.create,
      vault,
      store: data.store,
      log: (line) => process.stderr.write(`flumen: ${line}\n`),
    });
  } catch (err) {
    // The client terminates the worker when it reads this.
    post({ type: 'failed', error: toApiError(err) });
    return;
  }
  service.subscribe((notice) => post({ type: 'notice', notice }));
  handle = (msg: ToWorker) => {
    if (msg.type === 'vault-reply') {
      vault?.reply(msg);
      return;
    }
    if (msg.type === 'close') {
      void service.close().finally(() => {
        post({ type: 'closed' });
        port.close();
      });
      return;
    }
    // dispatch validates again here: the worker trusts no caller, whichever transport it sits behind.
    void dispatch(service, msg.method, msg.params).then((reply) =>
      post({ type: 'reply', id: msg.id, ...reply }),
    );
  };
  for (const msg of early.splice(0)) handle(msg);
  post({ type: 'ready' });
}

if (!parentPort) throw new Error('worker.ts runs only as a worker thread (see EngineWorkerClient)');
await serve(parentPort);
