// The ClickHouse store dialog (Electron mocked: no binary here): a locked-down window without preload whose page
// shows the prefilled URL escaped, whose answer comes back from executeJavaScript only, and which always closes.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => void;
  class FakeBrowserWindow {
    static last: FakeBrowserWindow | null = null;
    /** What the page's script resolves to; 'close' closes the window instead (the person closed it). */
    static answer: unknown = null;
    readonly events = new Map<string, Handler[]>();
    destroyed = false;
    loaded = '';
    ran: string[] = [];
    readonly webContents = {
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      executeJavaScript: (code: string) => {
        this.ran.push(code);
        if (FakeBrowserWindow.answer === 'close') {
          this.close();
          return new Promise(() => {});
        }
        return Promise.resolve(FakeBrowserWindow.answer);
      },
    };
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.last = this;
    }
    setMenu(): void {}
    show(): void {}
    once(event: string, h: Handler): void {
      this.events.set(event, [...(this.events.get(event) ?? []), h]);
    }
    loadURL(url: string): Promise<void> {
      this.loaded = url;
      return Promise.resolve();
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    close(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      for (const h of this.events.get('closed') ?? []) h();
    }
  }
  return { FakeBrowserWindow };
});

vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow }));

const { promptStore, COLLECT_ANSWER } = await import('../../../electron/main/store-prompt.ts');

beforeEach(() => {
  fake.FakeBrowserWindow.last = null;
  fake.FakeBrowserWindow.answer = null;
});

describe('the ClickHouse store dialog', () => {
  it('returns what was typed, from a sandboxed window without preload that it closes afterwards', async () => {
    fake.FakeBrowserWindow.answer = { url: 'clickhouse://u@h:8123/db', password: 's3cret' };
    const answer = await promptStore(null, {
      title: 'New ClickHouse Workspace',
      message: 'Where the events go',
      url: 'clickhouse://u@h:8123/db"><script>x</script>',
    });
    expect(answer).toEqual({ url: 'clickhouse://u@h:8123/db', password: 's3cret' });
    const win = fake.FakeBrowserWindow.last!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs.preload).toBeUndefined();
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    const page = decodeURIComponent(win.loaded.replace(/^data:text\/html;charset=utf-8,/, ''));
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(page).toContain('value="clickhouse://u@h:8123/db&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(page).not.toContain('<script>');
    expect(win.ran).toEqual([COLLECT_ANSWER]);
    expect(win.destroyed).toBe(true);
  });

  it('is null on Cancel, on a malformed answer, and when the window is closed', async () => {
    expect(await promptStore(null, { title: 't', message: 'm' })).toBeNull();
    fake.FakeBrowserWindow.answer = { url: 'x', password: 3 };
    expect(await promptStore(null, { title: 't', message: 'm' })).toBeNull();
    fake.FakeBrowserWindow.answer = 'close';
    expect(await promptStore(null, { title: 't', message: 'm' })).toBeNull();
    expect(fake.FakeBrowserWindow.last!.destroyed).toBe(true);
  });
});
