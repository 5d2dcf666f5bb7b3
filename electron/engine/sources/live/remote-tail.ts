// Tailing a file on an SSH host with exact byte offsets. `tail -F` cannot say where in which file its output came
// from, so the remote side is a small POSIX sh loop (GNU coreutils and Linux /proc, as on any Linux host): it
// holds the file open on fd 3, reports the file's inode and the fd's position before every chunk, and sends each
// chunk base64-encoded on one line, so the framing survives any content. A rename rotation is noticed by inode
// (the old file is drained until it has been quiet for 2 s), a truncation by the size falling below the position.
// A truncation that regrew past the position before the loop looked is caught by a checksum of the first bytes.
// An idle loop writes a heartbeat every 5 s: once the connection is gone that write kills it (SIGPIPE), so no
// loop is left behind on the host. A reconnect runs the loop again with the inode and offset to resume at; a file rotated meanwhile is found by
// inode in the same folder.
import type { RawRecord } from '../types.ts';
import { cutLines } from './line-cutter.ts';

export const REMOTE_TAIL_SCRIPT = String.raw`
f=$1; ino=$2; off=$3
pos3() { sed -n 's/^pos:[[:space:]]*//p' /proc/$$/fdinfo/3; }
hd() { head -c "$1" /proc/$$/fd/3 | cksum; }
openat() {
  exec 3<"$1" || return 1
  cur=$(stat -L -c %i /proc/$$/fd/3); hl=0; hh=; mt=
  if [ "$2" -gt 0 ]; then dd iflag=skip_bytes skip="$2" count=0 <&3 2>/dev/null; fi
  printf 'O %s %s\n' "$cur" "$2"
}
while :; do
  if [ "$ino" != 0 ]; then
    now=$(stat -c %i "$f" 2>/dev/null)
    if [ "$now" = "$ino" ]; then
      size=$(stat -c %s "$f")
      if [ "$size" -ge "$off" ]; then openat "$f" "$off" && break; fi
    else
      old=$(find "$(dirname "$f")" -maxdepth 1 -type f -inum "$ino" 2>/dev/null | head -n 1)
      if [ -n "$old" ] && [ "$(stat -c %s "$old")" -ge "$off" ]; then openat "$old" "$off" && break; fi
    fi
    printf 'L %s\n' "$ino"; ino=0
  fi
  if [ -f "$f" ] && openat "$f" 0; then break; fi
  sleep 0.5
done
idle=0; beat=0
while :; do
  pos=$(pos3); st=$(stat -L -c '%s %y' /proc/$$/fd/3); set -- $st; size=$1
  if [ "$size" -lt "$pos" ] || { [ "$st" != "$mt" ] && [ "$hl" -gt 0 ] && [ "$(hd "$hl")" != "$hh" ]; }; then
    exec 3</proc/$$/fd/3; hl=0; hh=; mt=; printf 'T %s\n' "$cur"; continue
  fi
  mt=$st
  if [ "$hl" -lt 128 ] && [ "$size" -gt "$hl" ]; then hl=$size; if [ "$hl" -gt 128 ]; then hl=128; fi; hh=$(hd "$hl"); fi
  if [ "$size" -gt "$pos" ]; then
    n=$((size - pos)); if [ "$n" -gt 1048576 ]; then n=1048576; fi
    printf 'D %s %s\n' "$cur" "$pos"
    dd iflag=count_bytes bs=65536 count="$n" <&3 2>/dev/null | base64 -w 0; echo
    idle=0; continue
  fi
  now=$(stat -c %i "$f" 2>/dev/null)
  if [ -n "$now" ] && [ "$now" != "$cur" ]; then
    idle=$((idle + 1))
    if [ "$idle" -ge 10 ] && openat "$f" 0; then idle=0; continue; fi
  fi
  beat=$((beat + 1)); if [ "$beat" -ge 25 ]; then beat=0; printf 'H\n'; fi
  sleep 0.2
done
`;

/** Where a remote file is read up to: what a checkpoint records (inode 0: not opened yet). */
export interface RemotePosition {
  ino: number;
  /** Offset of the first byte not yet handed on (a line start). */
  offset: number;
  line: number;
}

export interface RemoteChunk {
  records: RawRecord[];
  bytes: number;
}

/** Quotes a word for the remote POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function remoteTailCommand(file: string, pos: RemotePosition): string {
  return `sh -c ${shellQuote(REMOTE_TAIL_SCRIPT)} flumen-tail ${shellQuote(file)} ${pos.ino} ${pos.offset}`;
}

/** Decodes the loop's output into lines with exact offsets. One per remote file; survives reconnects. */
export class RemoteTailDecoder {
  pos: RemotePosition;
  /** Bytes after the last complete line (the writer is still writing that line). */
  private carry: Buffer = Buffer.alloc(0);
  private text = '';
  private dataFor: { ino: number; pos: number } | null = null;
  readonly notes: string[] = [];

  constructor(start: RemotePosition | undefined) {
    this.pos = start ?? { ino: 0, offset: 0, line: 1 };
  }

  /** The connection dropped: the loop will be started again at pos (the partial line is read again). */
  reset(): void {
    this.carry = Buffer.alloc(0);
    this.text = '';
    this.dataFor = null;
  }

  /** Feeds output of the remote loop; returns the complete lines it holds. */
  push(chunk: string): RemoteChunk {
    const out: RemoteChunk = { records: [], bytes: 0 };
    let start = 0;
    let nl: number;
    // Only the new chunk is searched: a 1 MiB chunk is one 1.4 MB base64 line arriving in many pieces.
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      const line = this.text + chunk.slice(start, nl);
      this.text = '';
      start = nl + 1;
      this.frame(line, out);
    }
    this.text += chunk.slice(start);
    return out;
  }

  private frame(line: string, out: RemoteChunk): void {
    if (this.dataFor) {
      const { ino, pos } = this.dataFor;
      this.dataFor = null;
      const data = Buffer.from(line, 'base64');
      const expected = this.pos.offset + this.carry.length;
      if (ino !== this.pos.ino || pos !== expected) {
        this.notes.push(`offset jump in inode ${ino}: expected ${expected}, got ${pos}`);
        this.carry = Buffer.alloc(0);
        this.pos = { ino, offset: pos, line: this.pos.line };
      }
      this.take(Buffer.concat([this.carry, data]), false, out);
      return;
    }
    const [tag, a, b] = line.split(' ');
    if (tag === 'D') this.dataFor = { ino: Number(a), pos: Number(b) };
    else if (tag === 'O') {
      const ino = Number(a);
      const offset = Number(b);
      if (ino !== this.pos.ino) {
        // Another file now (rotation): what is left of the old one's last line is a line of its own.
        if (this.carry.length > 0) this.take(this.carry, true, out);
        this.pos = { ino, offset, line: offset === 0 ? 1 : this.pos.line };
      }
    } else if (tag === 'T') {
      if (this.carry.length > 0) this.take(this.carry, true, out);
      this.pos = { ino: this.pos.ino, offset: 0, line: 1 };
    } else if (tag === 'L') {
      this.notes.push(`the file with inode ${a} was gone before it was read to the end`);
      this.carry = Buffer.alloc(0);
      this.pos = { ino: 0, offset: 0, line: 1 };
    }
  }

  private take(buf: Buffer, final: boolean, out: RemoteChunk): void {
    const cut = cutLines(buf, buf.length, this.pos.offset, this.pos.line, final);
    for (const r of cut.records) out.records.push(r);
    out.bytes += cut.consumed;
    this.pos = { ino: this.pos.ino, offset: this.pos.offset + cut.consumed, line: cut.nextLine };
    this.carry = Buffer.from(buf.subarray(cut.consumed));
  }
}
