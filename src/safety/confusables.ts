// Letters that pass for others: the redactor folds them to find keys in disguise, the cleaner to
// find our frame markers in disguise.

/** Cyrillic and Greek letters that pass for latin ones (Unicode confusables, the clear cases). */
export const HOMOGLYPHS = new Map(
  Object.entries({
    a: '\u0430\u03b1\u0251', c: '\u0441', d: '\u0501', e: '\u0435\u03b5', g: '\u0261', h: '\u04bb', i: '\u0456\u03b9\u0131', j: '\u0458',
    k: '\u043a\u03ba', l: '\u04cf', o: '\u043e\u03bf', p: '\u0440\u03c1', q: '\u051b', s: '\u0455', u: '\u03c5', v: '\u03bd', w: '\u051d',
    x: '\u0445\u03c7', y: '\u0443\u04af\u03b3', A: '\u0410\u0391', B: '\u0412\u0392', C: '\u0421', E: '\u0415\u0395', H: '\u041d\u0397',
    I: '\u0406\u0399', J: '\u0408', K: '\u041a\u039a', M: '\u041c\u039c', N: '\u039d', O: '\u041e\u039f', P: '\u0420\u03a1', Q: '\u051a',
    S: '\u0405', T: '\u0422\u03a4', W: '\u051c', X: '\u0425\u03a7', Y: '\u0423\u04ae\u03a5', Z: '\u0396',
  }).flatMap(([latin, looks]) => [...looks].map((ch) => [ch, latin] as const)),
);
