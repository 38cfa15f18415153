import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CLI = new URL('../dist/bin/k8s-jobs-mcp.js', import.meta.url).pathname;
export const BIN = new URL('../node_modules/.bin/', import.meta.url).pathname;

/** A clean environment whose `node` is the toolchain's (Node ≥ 22), with an empty HOME. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: mkdtempSync(join(tmpdir(), 'home-')), ...extra };
}

/** Starts the built CLI over HTTP on a free loopback port and resolves with its URL. */
export async function startHttpCli(args: string[] = []): Promise<{ url: string; child: ChildProcessWithoutNullStreams; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, '--demo', '--transport', 'http', '--port', '0', ...args], { env: cleanEnv() });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the server did not start: ${stderr}`)), 15_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(stderr);
      if (m) {
        clearTimeout(t);
        resolve(m[1] as string);
      }
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
