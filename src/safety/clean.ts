// Characters that have no business in text an agent reads: terminal escapes, control characters,
// invisible format characters (zero-width, bidi, tag characters that hide text a model still
// reads, variation selectors, fillers), lone surrogates, and look-alikes of our frame markers.

import { HOMOGLYPHS } from './confusables.js';

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
// Our own frame markers are never data: a line posing as one is defused, whatever it is drawn with:
// any dash, box-drawing line, underscores, equals signs; letters full-width, accented or borrowed
// from Cyrillic and Greek (ＥＮＤ, ÚNTRUSTED, UNTRUSТED).
const DASHLIKE = '-_=~*#\\p{Pd}\\u2500-\\u257f\\u2212\\ufe58\\ufe63\\uff0d\\uff3f\\uff1d';
const DASH_RUN = new RegExp(`[${DASHLIKE}]{2}`, 'u');
const IS_DASH = new RegExp(`^[${DASHLIKE}]$`, 'u');
const FAKE_MARKER = /-{2,}\s*(BEGIN|END)\s+UNTRUSTED/gi;
const MARKS = /\p{M}/gu;
// Where a disguised UNTRUSTED can come from: combining marks, Greek and Cyrillic, letterlike and
// enclosed forms, full-width forms, mathematical letters (a line of CJK text is not read again).
const DISGUISE = /[\u0300-\u052f\u2100-\u214f\u2460-\u24ff\uff00-\uffef\u{1d400}-\u{1d7ff}]/u;

/** Removes control and invisible characters. Newline and tab stay. */
export function cleanControls(s: string): string {
  return HAS_CONTROL.test(s) ? s.replace(ESCAPES, '').replace(CONTROLS, '') : s;
}

/** What a character reads as, for the marker check: a dash, a latin letter, or itself. */
function skeleton(ch: string): string {
  if (IS_DASH.test(ch)) return '-';
  if (ch < '\x80') return ch;
  const folded = ch.normalize('NFKD').replace(MARKS, '');
  let out = '';
  for (const c of folded) out += IS_DASH.test(c) ? '-' : (HOMOGLYPHS.get(c) ?? c);
  return out;
}

/** A line with its marker-like parts replaced, or the line itself. */
function defuseLine(line: string): string {
  if (!DASH_RUN.test(line) || (!/untrusted/i.test(line) && !DISGUISE.test(line))) return line;
  let skel = '';
  // Where each skeleton character came from in the line.
  const from: number[] = [];
  let i = 0;
  for (const ch of line) {
    const k = skeleton(ch);
    for (let n = 0; n < k.length; n++) from.push(i);
    skel += k;
    i += ch.length;
  }
  from.push(line.length);
  let out = '';
  let cursor = 0;
  FAKE_MARKER.lastIndex = 0;
  for (let m = FAKE_MARKER.exec(skel); m; m = FAKE_MARKER.exec(skel)) {
    const start = from[m.index] as number;
    // A character that folded to several (a ligature) is taken whole.
    const end = from[m.index + m[0].length] as number;
    out += `${line.slice(cursor, start)}[${(m[1] as string).toUpperCase()} marker-like text]`;
    cursor = Math.max(end, start);
  }
  return cursor ? out + line.slice(cursor) : line;
}

/** Cluster text: control characters removed and fake frame markers defused. */
export function cleanText(s: string): string {
  const clean = cleanControls(s);
  if (!DASH_RUN.test(clean)) return clean;
  return clean.includes('\n') ? clean.split('\n').map(defuseLine).join('\n') : defuseLine(clean);
}
