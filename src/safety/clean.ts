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
// Our own frame markers are never data: text posing as one (BEGIN/END UNTRUSTED, with or without
// the dashes) is defused, however it is written: any dashes or none, spaced letters (E N D), letters
// full-width, accented, small capitals, superscript or borrowed from Cyrillic and Greek.
const MARKS = /\p{M}/gu;
// A letter that continues a latin word ("backend"): CJK before END does not.
const LETTER = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
const ALNUM = /[\p{L}\p{N}]/u;
// Where a disguised UNTRUSTED can come from: Latin letters beyond ASCII, IPA and small capitals,
// combining marks, Greek and Cyrillic, phonetic and modifier letters, letterlike and enclosed
// forms, full-width letters, mathematical letters (CJK text and full-width punctuation are not).
const DISGUISE = /[\u00c0-\u052f\u1d00-\u1dbf\u1e00-\u1eff\u2070-\u209f\u2100-\u214f\u2460-\u24ff\ua4d0-\ua4ff\ua700-\ua7ff\uff21-\uff3a\uff41-\uff5a\u{1d400}-\u{1d7ff}\u{1f100}-\u{1f1ff}]/u;
// UNTRUST in ASCII, its letters up to eight characters apart.
const SPREAD = /u[^a-z0-9\n]{0,8}n[^a-z0-9\n]{0,8}t[^a-z0-9\n]{0,8}r[^a-z0-9\n]{0,8}u[^a-z0-9\n]{0,8}s[^a-z0-9\n]{0,8}t/i;
const WORDS = /(BEGIN|END)UNTRUSTED/g;
const ASCII_WORDS = /(?:e[^a-z0-9\n]{0,8}n[^a-z0-9\n]{0,8}d|i[^a-z0-9\n]{0,8}n)[^a-z0-9\n]{0,32}u[^a-z0-9\n]{0,8}n[^a-z0-9\n]{0,8}t/i;
/** Small capitals and Lisu letters, which no normalization folds. */
const SMALL_CAPS = new Map([
  ...[...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ'].map((c, n) => [c, 'ABCDEFGHIJKLMNOPRSTUVWYZ'[n] as string] as const),
  ...[...'ꓮꓐꓚꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓢꓔꓴꓦꓪꓫꓬꓜ'].map((c, n) => [c, 'ABCDEFGHIJKLMNOPRSTUVWXYZ'.replace('Q', '')[n] as string] as const),
]);
/** Negative circled and squared letters and regional indicators: A to Z from these first code points. */
const LETTER_RUNS = [0x1f150, 0x1f170, 0x1f1e6];
const mayHide = (s: string) => SPREAD.test(s) || DISGUISE.test(s);

/** The first `max` UTF-16 units of s, one fewer where the cut would split a surrogate pair (an emoji). */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

/** s as one line (every run of blanks and line breaks one space) of at most `max` characters, … where cut. */
export function flatLine(s: string, max: number): string {
  const one = s.replace(/[\s\u0085]+/g, ' ').trim();
  return one.length > max ? `${cut(one, max - 1)}…` : one;
}

/** Removes control and invisible characters. Newline and tab stay. */
export function cleanControls(s: string): string {
  return HAS_CONTROL.test(s) ? s.replace(ESCAPES, '').replace(CONTROLS, '') : s;
}

const folds = new Map<string, string>();
// The same answers by character code, for the Basic Multilingual Plane: 0 not read yet, 1 not a
// letter, 2 another letter or digit, 3… A to Z.
const bmp = new Uint8Array(0x10000);
const CODES = ['', '', '?', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** The latin capital a letter reads as, '?' for any other letter or digit, '' for the rest. */
function readAs(ch: string): string {
  let f = folds.get(ch);
  if (f === undefined) {
    const cp = ch.codePointAt(0) as number;
    const run = LETTER_RUNS.find((first) => cp >= first && cp < first + 26);
    const base = run === undefined ? ch.normalize('NFKD').replace(MARKS, '') : String.fromCharCode(65 + cp - run);
    const one = [...base].length === 1 ? base : ch;
    const latin = SMALL_CAPS.get(one) ?? HOMOGLYPHS.get(one) ?? one;
    f = /^[A-Za-z]$/.test(latin) ? latin.toUpperCase() : ALNUM.test(ch) ? '?' : '';
    if (folds.size < 4096) folds.set(ch, f);
  }
  return f;
}

/** A line with its marker-like parts replaced, or the line itself. */
function defuseLine(line: string): string {
  if (!mayHide(line)) return line;
  // An ASCII line needs BEGIN or END before UNTRUST ("untrusted certificate" is not read again).
  if (!DISGUISE.test(line) && !ASCII_WORDS.test(line)) return line;
  // The line's letters, as latin capitals, and (only when they spell a marker) where each came from.
  const from: number[] = [];
  const size: number[] = [];
  const read = (where: boolean): string => {
    let letters = '';
    for (let i = 0; i < line.length; ) {
      const c = line.charCodeAt(i);
      let f: string;
      let n = 1;
      if (c < 0x80) f = c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : c >= 65 && c <= 90 ? (line[i] as string) : c >= 48 && c <= 57 ? '?' : '';
      else if (c >= 0xd800 && c <= 0xdbff) {
        n = 2;
        f = readAs(line.slice(i, i + 2));
      } else {
        let k = bmp[c] as number;
        if (k === 0) {
          const r = readAs(line[i] as string);
          k = r === '' ? 1 : r === '?' ? 2 : r.charCodeAt(0) - 62;
          bmp[c] = k;
        }
        f = CODES[k] as string;
      }
      if (f) {
        letters += f;
        if (where) {
          from.push(i);
          size.push(n);
        }
      }
      i += n;
    }
    return letters;
  };
  if (!/(BEGIN|END)UNTRUSTED/.test(read(false))) return line;
  const letters = read(true);
  let out = '';
  let cursor = 0;
  WORDS.lastIndex = 0;
  for (let m = WORDS.exec(letters); m; m = WORDS.exec(letters)) {
    let start = from[m.index] as number;
    // A word of its own (not "backend untrusted"): no letter right before it.
    const before = line.slice(Math.max(0, start - 2), start);
    if (before && LETTER.test([...before].at(-1) as string)) continue;
    const last = m.index + m[0].length - 1;
    const end = (from[last] as number) + (size[last] as number);
    const words = line.slice(start, end);
    // The dashes (or whatever draws the line) before it go too; a blank before them stays.
    while (start > cursor && !ALNUM.test(line[start - 1] as string)) start--;
    while (start < end && /\s/.test(line[start] as string)) start++;
    // Prose in lower case ("the end: untrusted certificate") is a marker only under a drawn line.
    if (/[a-z]/.test(words) && !/[^\p{L}\p{N}\s]{2}/u.test(line.slice(start, from[m.index]))) continue;
    out += `${line.slice(cursor, start)}[${m[1]} marker-like text]`;
    cursor = end;
  }
  return cursor ? out + line.slice(cursor) : line;
}

/** Cluster text: control characters removed and fake frame markers defused. */
export function cleanText(s: string): string {
  const clean = cleanControls(s);
  if (!mayHide(clean)) return clean;
  return clean.includes('\n') ? clean.split('\n').map(defuseLine).join('\n') : defuseLine(clean);
}
