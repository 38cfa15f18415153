// Characters that have no business in text an agent reads: terminal escapes, control characters,
// zero-width and bidi controls (they hide or reorder text), and look-alikes of our frame markers.

const u = (n: number) => `\\u${n.toString(16).padStart(4, '0')}`;
// C0 except tab and newline, DEL, C1, the soft hyphen, zero-width characters, line/paragraph
// separators, bidi embeddings/overrides/isolates, invisible operators, the BOM and annotation marks.
const INVISIBLE: [number, number][] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2069],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
];
const CLASS = `[${INVISIBLE.map(([a, b]) => (a === b ? u(a) : `${u(a)}-${u(b)}`)).join('')}]`;
const ESC = u(0x1b);
const BEL = u(0x07);
// ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/PM/APC strings, other ESC forms, 8-bit CSI.
const ESCAPES = new RegExp(
  [`${ESC}\\[[0-?]*[ -/]*[@-~]`, `${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?`, `${ESC}[P^_][^${ESC}]*(?:${ESC}\\\\)?`, `${ESC}[ -/]*[0-~]?`, `${u(0x9b)}[0-?]*[ -/]*[@-~]`].join('|'),
  'g',
);
const CONTROLS = new RegExp(CLASS, 'g');
const HAS_CONTROL = new RegExp(CLASS);
// Our own frame markers are never data: text posing as one is defused.
const FAKE_MARKER = /-{3,}\s*(BEGIN|END)\s+UNTRUSTED/gi;
const HAS_MARKER = /UNTRUSTED/i;

/** Removes control and invisible characters. Newline and tab stay. */
export function cleanControls(s: string): string {
  return HAS_CONTROL.test(s) ? s.replace(ESCAPES, '').replace(CONTROLS, '') : s;
}

/** Cluster text: control characters removed and fake frame markers defused. */
export function cleanText(s: string): string {
  const clean = cleanControls(s);
  return HAS_MARKER.test(clean) ? clean.replace(FAKE_MARKER, '[$1 marker-like text]') : clean;
}
