// Characters that have no business in text an agent reads: terminal escapes, control characters,
// invisible format characters (zero-width, bidi, tag characters that hide text a model still
// reads, variation selectors, fillers), lone surrogates, and look-alikes of our frame markers.

const u = (n: number) => (n > 0xffff ? `\\u{${n.toString(16)}}` : `\\u${n.toString(16).padStart(4, '0')}`);
// On top of \p{Cc} (C0, DEL, C1) and \p{Cf} (format: soft hyphen, zero-width, bidi, tags U+E0001…E007F…):
// invisible characters of other categories.
const INVISIBLE: [number, number][] = [
  [0x034f, 0x034f], // combining grapheme joiner
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors
  [0x2028, 0x2029], // line and paragraph separators
  [0x3164, 0x3164], // Hangul filler
  [0xfe00, 0xfe0f], // variation selectors
  [0xffa0, 0xffa0], // half-width Hangul filler
  [0xfff9, 0xfffb], // interlinear annotation
  [0xd800, 0xdfff], // lone surrogates (a pair is one code point under the u flag)
  [0xe0000, 0xe007f], // tags
  [0xe0100, 0xe01ef], // variation selectors supplement
];
const EXTRA = INVISIBLE.map(([a, b]) => (a === b ? u(a) : `${u(a)}-${u(b)}`)).join('');
// Newline and tab stay; everything else in the class goes.
const CLASS = `(?![\\n\\t])[\\p{Cc}\\p{Cf}${EXTRA}]`;
const ESC = u(0x1b);
const BEL = u(0x07);
// ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/PM/APC strings, other ESC forms, 8-bit CSI.
const ESCAPES = new RegExp(
  [`${ESC}\\[[0-?]*[ -/]*[@-~]`, `${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?`, `${ESC}[P^_][^${ESC}]*(?:${ESC}\\\\)?`, `${ESC}[ -/]*[0-~]?`, `${u(0x9b)}[0-?]*[ -/]*[@-~]`].join('|'),
  'g',
);
const CONTROLS = new RegExp(CLASS, 'gu');
const HAS_CONTROL = new RegExp(CLASS, 'u');
// Our own frame markers are never data: text posing as one (with any kind of dash) is defused.
const DASH = '[-\\u2010-\\u2015\\u2212\\u2e3a\\u2e3b\\ufe58\\ufe63\\uff0d]';
const FAKE_MARKER = new RegExp(`${DASH}{3,}\\s*(BEGIN|END)\\s+UNTRUSTED`, 'giu');
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
