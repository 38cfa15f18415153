// The package as users install it: packed, installed into an empty folder, its bin run with --demo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../spawn.js';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('npm pack → npm install → bin', () => {
  it('ships its bin, shebang and built files, and runs with production dependencies only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-jobs-mcp-pkg-'));
    // dist/ was built by `npm test`; --ignore-scripts skips the prepack rebuild.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(expect.arrayContaining(['dist/bin/k8s-jobs-mcp.js', 'README.md', 'SKILL.md', 'package.json']));
    expect(files.some((f) => f.startsWith('dist/bin/chunks/'))).toBe(true);
    expect(files.filter((f) => /^(src|test|bench|deploy)\//.test(f) || f.endsWith('.map'))).toEqual([]);

    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, info?.filename as string)], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    expect(install.status, install.stderr).toBe(0);

    const pkg = join(dir, 'node_modules', 'k8s-jobs-mcp');
    const cli = join(pkg, 'dist', 'bin', 'k8s-jobs-mcp.js');
    expect(readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    const bin = join(dir, 'node_modules', '.bin', 'k8s-jobs-mcp');
    expect(existsSync(bin)).toBe(true);
    for (const dev of ['vitest', 'typescript', '@biomejs/biome', 'node']) expect(existsSync(join(dir, 'node_modules', dev)), dev).toBe(false);

    // The bin itself, through its shebang, with the toolchain's Node first on PATH.
    const transport = new StdioClientTransport({ command: bin, args: ['--demo'], env: cleanEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'pkg-test', version: '1' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('job_diagnose');
    const r = (await client.callTool({ name: 'job_diagnose', arguments: { job: 'batch/report-oom' } })) as unknown as { structuredContent: { category: string } };
    expect(r.structuredContent.category).toBe('OOMKilled');
    await client.close();
  }, 300_000);
});
