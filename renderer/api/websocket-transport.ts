// The serve-mode transport of the contract: JSON frames over one WebSocket at /api, requests matched to answers
// by id. When the socket drops, pending requests fail (the UI retries what it needs) and the socket reconnects
// with backoff; requests made while it is down wait for the next connection.
import type { ApiMethod, ApiNotice } from '../../shared/api.ts';
import { ApiRequestError } from './errors.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

const RETRY_MS = [250, 500, 1000, 2000, 5000];

export class WebSocketTransport {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: (() => void)[] = [];
  private readonly noticeListeners = new Set<(n: ApiNotice) => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private attempt = 0;
  state: ConnectionState = 'connecting';

  constructor(private readonly url: string) {
    this.connect();
  }

  call(method: ApiMethod, params: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const send = () => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        this.socket!.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
      };
      if (this.state === 'open') send();
      else this.waiting.push(send);
    });
  }

  onNotice(listener: (n: ApiNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      for (const send of this.waiting.splice(0)) send();
    };
    socket.onmessage = (ev) => this.receive(String(ev.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.setState('closed');
      const lost = new ApiRequestError({ code: 'engine-error', message: 'connection to Flumen lost' });
      for (const p of this.pending.values()) p.reject(lost);
      this.pending.clear();
      const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
      setTimeout(() => this.connect(), delay);
    };
  }

  private receive(text: string): void {
    let msg: { id?: number; result?: unknown; error?: unknown; notice?: ApiNotice };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.notice) {
      for (const l of this.noticeListeners) l(msg.notice);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error)
      p.reject(new ApiRequestError(msg.error as ConstructorParameters<typeof ApiRequestError>[0]));
    else p.resolve(msg.result);
  }
}

/** The contract's URL: same host as the page, the token the page was opened with. */
export function apiSocketUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}
