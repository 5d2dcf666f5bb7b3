// Syslog over a stream (TCP, TLS): RFC 6587 octet counting (`LEN SP MSG`) or non-transparent framing (one message
// per line). Which one a sender uses is decided on its connection's first byte: a digit means octet counting.

/** Messages longer than this are cut (octet counting) or split (newline framing): memory stays bounded. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export type Framing = 'octet-counting' | 'newline';

export class FrameDecoder {
  framing: Framing | null = null;
  private carry: Buffer | null = null;
  /** Octet counting: bytes of the current message still to come, and those to skip (over-long message). */
  private want = -1;
  private skip = 0;
  truncated = 0;

  /** Feeds a chunk; returns the complete messages in it (as text, trailing CR/LF removed). */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let i = 0;
    if (this.framing === null && buf.length > 0)
      this.framing = buf[0] >= 0x30 && buf[0] <= 0x39 ? 'octet-counting' : 'newline';
    if (this.framing === 'newline') {
      for (;;) {
        const nl = buf.indexOf(0x0a, i);
        if (nl < 0) break;
        pushText(out, buf, i, nl);
        i = nl + 1;
      }
      if (buf.length - i > MAX_MESSAGE_BYTES) {
        pushText(out, buf, i, buf.length);
        this.truncated++;
        i = buf.length;
      }
    } else {
      while (i < buf.length) {
        if (this.skip > 0) {
          const n = Math.min(this.skip, buf.length - i);
          this.skip -= n;
          i += n;
          continue;
        }
        if (this.want < 0) {
          // Between frames: optional newlines some senders add, then digits and a space.
          while (i < buf.length && (buf[i] === 0x0a || buf[i] === 0x0d)) i++;
          const sp = buf.indexOf(0x20, i);
          if (sp < 0) {
            if (buf.length - i > 10) throw new Error('octet-counting frame without a length');
            break;
          }
          const len = Number(buf.toString('latin1', i, sp));
          if (!Number.isInteger(len) || len < 0 || sp - i > 10)
            throw new Error('octet-counting frame with a bad length');
          i = sp + 1;
          this.want = len;
        }
        const cap = Math.min(this.want, MAX_MESSAGE_BYTES);
        if (buf.length - i < cap) break;
        pushText(out, buf, i, i + cap);
        i += cap;
        if (this.want > cap) {
          this.skip = this.want - cap;
          this.truncated++;
        }
        this.want = -1;
      }
    }
    if (i < buf.length) this.carry = Buffer.from(buf.subarray(i));
    return out;
  }

  /** The connection closed: a last unterminated line is still a message. */
  end(): string[] {
    const out: string[] = [];
    if (this.carry && this.framing === 'newline') pushText(out, this.carry, 0, this.carry.length);
    this.carry = null;
    return out;
  }
}

function pushText(out: string[], buf: Buffer, start: number, end: number): void {
  while (end > start && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
  if (end > start) out.push(buf.toString('utf8', start, end));
}

/** RFC 5424 messages have a version after the priority: `<PRI>1 `. */
export function isRfc5424(message: string): boolean {
  if (message.charCodeAt(0) !== 60) return false;
  const close = message.indexOf('>');
  return (
    close > 0 && close <= 4 && message.charCodeAt(close + 1) === 49 && message.charCodeAt(close + 2) === 32
  );
}
