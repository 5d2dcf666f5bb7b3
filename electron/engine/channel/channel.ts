// Flume's memory channel on one machine: a bounded queue between sources and the store's sink.
//
// A source `put`s a batch; when the channel is full the put waits (backpressure), it never drops.
// The sink `take`s a transaction, makes its batches durable, then `commit`s; on failure it `rollback`s
// and the same batches are taken again, in the same order, ahead of newer ones.

export interface ChannelOptions {
  /** Capacity in records (lines); puts wait while the channel holds this many. */
  capacity: number;
  /** Most records one take hands to the sink. */
  maxTake: number;
}

export interface ChannelCounters {
  /** Records put. */
  in: number;
  /** Records committed by the sink. */
  out: number;
  /** Records taken and not yet committed or rolled back. */
  inFlight: number;
  /** Records returned by rollbacks (counted each time). */
  rolledBack: number;
  /** Records dropped (only lossy sources such as a UDP listener drop, and they say so). */
  dropped: number;
  /** Records waiting in the channel. */
  queued: number;
}

interface Sized {
  /** How many records this item counts for against the capacity. */
  size: number;
}

export interface Transaction<T> {
  readonly items: T[];
  commit(): void;
  rollback(): void;
}

export class Channel<T extends Sized> {
  private queue: T[] = [];
  private queued = 0;
  private inFlight = 0;
  private counters = { in: 0, out: 0, rolledBack: 0, dropped: 0 };
  private spaceWaiters: Array<() => void> = [];
  private itemWaiters: Array<() => void> = [];
  private closed = false;
  private open = false;

  constructor(private readonly opts: ChannelOptions) {}

  /** Puts one item, waiting while the channel is full. An item larger than the capacity is let in alone. */
  async put(item: T): Promise<void> {
    if (this.closed) throw new Error('channel is closed');
    while (this.queued + this.inFlight > 0 && this.queued + this.inFlight + item.size > this.opts.capacity) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
      if (this.closed) throw new Error('channel is closed');
    }
    this.queue.push(item);
    this.queued += item.size;
    this.counters.in += item.size;
    this.wake(this.itemWaiters);
  }

  /** Counts records a lossy source could not put (e.g. UDP datagrams while full). */
  recordDrop(n: number): void {
    this.counters.dropped += n;
  }

  /** True when a put of this size would wait (lossy sources drop instead of waiting). */
  isFull(size = 1): boolean {
    return this.queued + this.inFlight + size > this.opts.capacity;
  }

  /**
   * Takes the next transaction, waiting for items; resolves null once the channel is closed and drained.
   * One transaction is open at a time: the sink is a single consumer, which keeps each source's order.
   */
  async take(): Promise<Transaction<T> | null> {
    if (this.open) throw new Error('a transaction is already open');
    while (this.queue.length === 0) {
      if (this.closed) return null;
      await new Promise<void>((resolve) => this.itemWaiters.push(resolve));
    }
    const items: T[] = [];
    let size = 0;
    while (this.queue.length > 0 && (items.length === 0 || size + this.queue[0].size <= this.opts.maxTake)) {
      const item = this.queue.shift()!;
      items.push(item);
      size += item.size;
    }
    this.queued -= size;
    this.inFlight += size;
    this.open = true;
    let done = false;
    const finish = (ok: boolean) => {
      if (done) throw new Error('transaction already finished');
      done = true;
      this.open = false;
      this.inFlight -= size;
      if (ok) {
        this.counters.out += size;
        this.wake(this.spaceWaiters);
      } else {
        this.counters.rolledBack += size;
        this.queue.unshift(...items);
        this.queued += size;
        this.wake(this.itemWaiters);
      }
    };
    return { items, commit: () => finish(true), rollback: () => finish(false) };
  }

  /** No more puts; take() returns null once everything queued has been taken and committed. */
  close(): void {
    this.closed = true;
    this.wake(this.itemWaiters);
    this.wake(this.spaceWaiters);
  }

  stats(): ChannelCounters {
    return { ...this.counters, inFlight: this.inFlight, queued: this.queued };
  }

  private wake(waiters: Array<() => void>): void {
    const all = waiters.splice(0);
    for (const w of all) w();
  }
}
