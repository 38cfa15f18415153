// What the SDK's stdio transport reads, one whole line at a time and never a line over 1 MiB
// (as the HTTP transport bounds a body). The SDK itself closes the whole transport when a line
// passes 10 MiB, which ended the server in silence; here only that message fails, with an answer.
import { type Readable, Transform } from 'node:stream';

export const MAX_LINE_BYTES = 1024 * 1024;
const EDGE = 256;

/** The id of a request whose line was too large, from its first or last bytes (clients put it at either end). */
export function idOfLine(head: string, tail: string): string | number | null {
  const lead = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,16}|"(?:[^"\\]|\\.){0,200}")\s*[,}]/.exec(head);
  const trail = /[,{]\s*"id"\s*:\s*(-?\d{1,16}|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/.exec(tail);
  const raw = lead?.[1] ?? trail?.[1];
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as string | number;
  } catch {
    return null;
  }
}

/** `input` as whole lines of at most `max` bytes; each longer line is dropped and reported with its id. */
export function guardLines(input: Readable, onTooLarge: (id: string | number | null) => void, max = MAX_LINE_BYTES): Readable {
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  let head = '';
  let tail = Buffer.alloc(0);
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let from = 0;
      while (from < chunk.length) {
        const nl = chunk.indexOf(10, from);
        const end = nl < 0 ? chunk.length : nl + 1;
        const piece = chunk.subarray(from, end);
        from = end;
        if (!dropping && size + piece.length > max) {
          dropping = true;
          head = Buffer.concat([...parts, piece]).subarray(0, EDGE).toString('utf8');
          parts = [];
          size = 0;
        }
        if (dropping) tail = Buffer.concat([tail, piece]).subarray(-EDGE);
        else {
          parts.push(piece);
          size += piece.length;
        }
        if (nl < 0) break;
        if (dropping) {
          onTooLarge(idOfLine(head, tail.toString('utf8')));
          dropping = false;
          tail = Buffer.alloc(0);
        } else {
          this.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
          parts = [];
          size = 0;
        }
      }
      done();
    },
    flush(done) {
      if (!dropping && size) this.push(Buffer.concat(parts));
      done();
    },
  });
  input.on('error', (err) => guard.destroy(err));
  return input.pipe(guard);
}
