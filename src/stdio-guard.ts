// What the SDK's stdio transport reads, one whole line at a time and never a line over 1 MiB
// (as the HTTP transport bounds a body). The SDK itself closes the whole transport when a line
// passes 10 MiB, which ended the server in silence; here only that message fails, with an answer.
import { type Readable, Transform } from 'node:stream';

export const MAX_LINE_BYTES = 1024 * 1024;
const EDGE = 2048;

// An id: a string (escapes allowed) or a number, as JSON writes them.
const ID = String.raw`("(?:[^"\\]|\\.){0,1024}"|-?\d{1,40}(?:\.\d{1,40})?(?:[eE][+-]?\d{1,4})?)`;
// The id among the keys that come before params (jsonrpc, method), or as the very last key.
const LEAD = new RegExp(String.raw`^\s*\{\s*(?:"(?:jsonrpc|method)"\s*:\s*"(?:[^"\\]|\\.){0,256}"\s*,\s*){0,2}"id"\s*:\s*${ID}\s*[,}]`);
const TRAIL = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID}\s*\}\s*$`);

/** The id of a request whose line was too large, from its first or last bytes (clients put it at either end). */
export function idOfLine(head: string, tail: string): string | number | null {
  const raw = LEAD.exec(head)?.[1] ?? TRAIL.exec(tail)?.[1];
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as string | number;
  } catch {
    return null;
  }
}

/** Whether a line is a request (a method among its first keys), not a client's response to one of ours. */
export function isRequestLine(head: string): boolean {
  // A response names result or error before any object opens; a request opens params after its method.
  if (/^\s*\{[^{}]{0,1500}?"(?:result|error)"\s*:/.test(head)) return false;
  return /"method"\s*:\s*"/.test(head);
}

/** `input` as whole lines of at most `max` bytes (its newline aside); each longer line is dropped and reported. */
export function guardLines(input: Readable, onTooLarge: (id: string | number | null, request: boolean) => void, max = MAX_LINE_BYTES): Readable {
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
        // The line's end (LF or CRLF) does not count.
        const ending = nl < 0 ? 0 : nl > 0 && chunk[nl - 1] === 13 ? 2 : 1;
        if (!dropping && size + piece.length - ending > max) {
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
          const end = tail.toString('utf8');
          onTooLarge(idOfLine(head, end), isRequestLine(head));
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
