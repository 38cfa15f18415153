import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardLines, idOfLine } from '../../src/stdio-guard.js';

async function through(chunks: string[], max: number): Promise<{ out: string; dropped: (string | number | null)[]; requests: boolean[] }> {
  const input = new PassThrough();
  const dropped: (string | number | null)[] = [];
  const requests: boolean[] = [];
  const guarded = guardLines(
    input,
    (id, request) => {
      dropped.push(id);
      requests.push(request);
    },
    max,
  );
  let out = '';
  guarded.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise((resolve) => guarded.on('end', resolve));
  for (const c of chunks) input.write(c);
  input.end();
  await done;
  return { out, dropped, requests };
}

describe('the stdio line guard', () => {
  it('passes whole lines on, however the chunks split them, and drops only the line that is too long', async () => {
    const long = `{"jsonrpc":"2.0","id":"big-1","method":"tools/call","params":{"x":"${'y'.repeat(300)}"}}\n`;
    const r = await through(['{"id":1}\n{"i', 'd":2}\n', long.slice(0, 100), long.slice(100), '{"id":3}', '\n{"id":4}'], 200);
    expect(r.out).toBe('{"id":1}\n{"id":2}\n{"id":3}\n{"id":4}');
    expect(r.dropped).toEqual(['big-1']);
    expect(r.requests).toEqual([true]);
  });

  it('lets a line of exactly the limit through (its newline aside), and tells a response to one of ours from a request', async () => {
    const exact = `{"x":"${'y'.repeat(192)}"}`;
    expect(exact.length).toBe(200);
    expect((await through([`${exact}\n`], 200)).out).toBe(`${exact}\n`);
    expect((await through([`${exact}\r\n`], 200)).out).toBe(`${exact}\r\n`);
    const response = `{"result":{"content":"${'z'.repeat(300)}"},"jsonrpc":"2.0","id":0}\n`;
    const r = await through([response], 200);
    expect(r.dropped).toEqual([0]);
    expect(r.requests).toEqual([false]);
    const quoted = `{"jsonrpc":"2.0","id":"a\\"b","result":{"method":"x","y":"${'z'.repeat(300)}"}}\n`;
    expect((await through([quoted], 200)).requests).toEqual([false]);
  });

  it('finds the id at either end of a dropped line, or says it cannot', () => {
    expect(idOfLine('{"jsonrpc":"2.0","id":42,"method":"x","params":{"a":', '')).toBe(42);
    expect(idOfLine('{"method":"tools/call","params":{"name":"', 'xxxxx"}},"jsonrpc":"2.0","id":"abc"}\r\n')).toBe('abc');
    expect(idOfLine('{"method":"x","params":{"id":7,', 'zzz"}}}\n')).toBeNull();
    expect(idOfLine('{"method":"tools/call","id":9,"params":{"name":"', 'zzz"}}}\n')).toBe(9);
    // Ids of any length JSON allows, and never an "id" of another object.
    expect(idOfLine(`{"jsonrpc":"2.0","id":"${'i'.repeat(500)}","method":"x"`, '')).toBe('i'.repeat(500));
    expect(idOfLine('{"jsonrpc":"2.0","id":123456789012345678901234,"method":"x"', '')).toBe(JSON.parse('123456789012345678901234'));
    expect(idOfLine('{"jsonrpc":"2.0","id":1.5,"method":"x"', '')).toBe(1.5);
    expect(idOfLine('{"method":"x","meta":{"id":997},"params":{"a":"', 'zzz"}}\n')).toBeNull();
    expect(idOfLine('{"method":"x","params":{"a":"', 'zzz"},"id":24}\n')).toBe(24);
    expect(idOfLine('garbage', 'more garbage')).toBeNull();
  });
});
