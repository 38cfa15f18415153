import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactObject, redactText } from '../../src/safety/redact.js';

describe('redactText hides credentials in free text', () => {
  it.each([
    ['Authorization: Bearer abcdef0123456789xyz', 'Authorization: Bearer [REDACTED]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz done', 'token [REDACTED] done'],
    ['key AKIAZ3MDEMO7EXAMPLE1 used', 'key [REDACTED] used'],
    ['postgres://app:hunter2@db:5432/app', 'postgres://app:[REDACTED]@db:5432/app'],
    ['--db-password=hunter2 --verbose', '--db-password=[REDACTED] --verbose'],
    ['AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG', 'AWS_SECRET_ACCESS_KEY: [REDACTED]'],
    ['"api_key": "abc123def"', '"api_key": "[REDACTED]"'],
    ['gh token ghp_0123456789abcdefghijABCDEFGHIJ0123456789', 'gh token [REDACTED]'],
    ['slack xoxb-123456789012-abcdefghij', 'slack [REDACTED]'],
  ])('%s', (input, want) => {
    expect(redactText(input)).toBe(want);
  });

  it('removes a whole private key block', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----';
    expect(redactText(`key:\n${pem}\nafter`)).toBe(`key:\n-----BEGIN RSA PRIVATE KEY----- ${REDACTED} -----END RSA PRIVATE KEY-----\nafter`);
  });

  it('leaves ordinary log lines alone', () => {
    const lines = ['ERROR: relation "users" already exists', 'Pulling image "registry.example.com/etl:v9.9"', 'secret "smtp-credentials" not found', 'tokens processed: many'];
    for (const l of lines) expect(redactText(l)).toBe(l);
  });

  it('counts what it hid', () => {
    const r = new Redactor(true);
    r.text('Bearer abcdefghijkl and AKIAZ3MDEMO7EXAMPLE1');
    expect(r.count).toBe(2);
  });

  it('does nothing when turned off by the server option', () => {
    const r = new Redactor(false);
    expect(r.text('Bearer abcdefghijkl')).toBe('Bearer abcdefghijkl');
    expect(r.count).toBe(0);
  });
});

describe('redactObject', () => {
  it('hides literal env values with secret names and keeps valueFrom references', () => {
    const spec = {
      containers: [
        {
          name: 'c',
          env: [
            { name: 'PGPASSWORD', value: 'hunter2' },
            { name: 'API_KEY', value: 'k' },
            { name: 'GITHUB_TOKEN', value: 't' },
            { name: 'PGHOST', value: 'db' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            { name: 'EMPTY_SECRET', value: '' },
          ],
          args: ['--token=abcdef123'],
        },
      ],
    };
    const out = redactObject(structuredClone(spec));
    const env = out.containers[0]?.env ?? [];
    expect(env.map((e) => ('value' in e ? e.value : 'ref'))).toEqual([REDACTED, REDACTED, REDACTED, 'db', 'ref', '']);
    expect(env[4]).toEqual(spec.containers[0]?.env[4]);
    expect(out.containers[0]?.args).toEqual(['--token=[REDACTED]']);
  });
});
