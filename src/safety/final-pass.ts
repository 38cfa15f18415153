// The last pass over everything the server answers (tool results, prompts, resources), as defence in
// depth behind the kube boundary: whatever a tool built, no control character or secret-looking
// value leaves. Values the server minted itself (a confirmation token) pass untouched.
import { cleanControls } from './clean.js';
import { redactText } from './redact.js';

export interface FinalPassOptions {
  redact: boolean;
  /** Exact strings of our own (tokens) that redaction must not touch. */
  own?: readonly string[];
}

function passText(s: string, o: FinalPassOptions): string {
  const own = (o.own ?? []).filter((v) => v && s.includes(v));
  const one = (piece: string) => (o.redact ? redactText(cleanControls(piece)) : cleanControls(piece));
  if (!own.length) return one(s);
  // Redact around our own values, never across them.
  const [first, ...rest] = own;
  return s
    .split(first as string)
    .map((piece) => (rest.length ? passText(piece, { ...o, own: rest }) : one(piece)))
    .join(first as string);
}

/** Cleans (and redacts) every string in a JSON-like value, in a copy. */
export function finalPass<T>(value: T, o: FinalPassOptions): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return passText(v, o);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [cleanControls(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
