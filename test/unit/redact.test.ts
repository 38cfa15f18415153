import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, REDACTION_RULES, type RedactCounter, Redactor, redactObject, redactText } from '../../src/safety/redact.js';

const counted = (text: string) => {
  const c: RedactCounter = { count: 0 };
  return { out: redactText(text, c), count: c.count };
};

describe('the rule table', () => {
  it('has unique names, one capturing group per pattern, and the secret at the end of the match', () => {
    expect(new Set(REDACTION_RULES.map((r) => r.name)).size).toBe(REDACTION_RULES.length);
    for (const r of REDACTION_RULES) {
      expect(new RegExp(`${r.pattern}|`).exec('')?.length, r.name).toBe(2);
      const m = new RegExp(r.pattern).exec(r.example);
      expect(m, r.name).not.toBeNull();
      expect(m?.[0].endsWith(m?.[1] ?? '\u0000'), r.name).toBe(true);
      // The rule itself catches its example (not a neighbour): its group starts the secret and it accepts.
      if (!m?.[1]) continue;
      const candidate = { text: r.example, index: m.index, match: m[0], secret: m[1], secretStart: m.index + m[0].length - m[1].length };
      if (!r.replace) expect(r.secret.startsWith(m[1]), r.name).toBe(true);
      expect(r.accept?.(candidate) ?? true, r.name).toBe(true);
      const text = r.caseSensitive ? r.example : r.example.toLowerCase();
      expect(r.anchors.some((a) => text.includes(r.caseSensitive ? a : a.toLowerCase())), `${r.name} example holds an anchor`).toBe(true);
    }
  });

  it.each(REDACTION_RULES.map((r) => [r.name, r] as const))('%s catches its example once', (_name, r) => {
    const { out, count } = counted(r.example);
    expect(out).not.toContain(r.secret);
    expect(out).toContain(REDACTED);
    expect(count).toBe(1);
  });
});

describe('redactText catches what the probe found leaking', () => {
  it.each([
    // password flags, separate and glued
    ['mysql -uroot -pS3cr3t app', `mysql -uroot -p${REDACTED} app`],
    ['mysql -h db -u root -p S3cr3t', `mysql -h db -u root -p ${REDACTED}`],
    ['sh -c "mysqldump -uroot -p\'S3 cr3t\' app > /dump.sql"', `sh -c "mysqldump -uroot -p'${REDACTED}' app > /dump.sql"`],
    ['migrate --password S3cr3t --dir /m', `migrate --password ${REDACTED} --dir /m`],
    ['migrate --password=S3cr3t', `migrate --password=${REDACTED}`],
    ['app -db-password "two words"', `app -db-password "${REDACTED}"`],
    ['redis-cli -h cache -a R3disPass ping', `redis-cli -h cache -a ${REDACTED} ping`],
    ['curl -u user:S3cr3t https://api.example.com', `curl -u user:${REDACTED} https://api.example.com`],
    ['curl --user user:S3cr3t https://api.example.com', `curl --user user:${REDACTED} https://api.example.com`],
    ['curl --user=user:S3cr3t https://x', `curl --user=user:${REDACTED} https://x`],
    // argv written as JSON or YAML text (kubectl output, last-applied annotations in logs)
    ['"args":["--password","pw1","-p","pw2","--port","5432"]', `"args":["--password","${REDACTED}","-p","${REDACTED}","--port","5432"]`],
    ['"command":["redis-cli","-a","pw3","ping"]', `"command":["redis-cli","-a","${REDACTED}","ping"]`],
    ["args: ['-u', 'me:pw4']", `args: ['-u', 'me:${REDACTED}']`],
    ['args:\n- --password\n- pw5\n- -p\n- pw6\n', `args:\n- --password\n- ${REDACTED}\n- -p\n- ${REDACTED}\n`],
    // Stripe: secret and restricted keys, not publishable ones
    ['STRIPE sk_live_51HaBcDeFgHiJkLmNoPqRsTu pk_live_51HaBcDeFgHiJkLmNoPqRsTu', `STRIPE ${REDACTED} pk_live_51HaBcDeFgHiJkLmNoPqRsTu`],
    ['rk_live_51HaBcDeFgHiJkLmNoPqRsTu sk_test_4eC39HqLyjWDarjtT1zdp7dc', `${REDACTED} ${REDACTED}`],
    // docker config JSON and JSON passwords
    ['{"auths":{"ghcr.io":{"username":"acme","password":"pw-123","auth":"YWNtZTpwdy0xMjM="}}}', `{"auths":{"ghcr.io":{"username":"acme","password":"${REDACTED}","auth":"${REDACTED}"}}}`],
    ['{".dockerconfigjson":"eyJhdXRocyI6e319"}', `{".dockerconfigjson":"${REDACTED}"}`],
    ['{".dockercfg": "eyJyZWdpc3RyeSI6e319"}', `{".dockercfg": "${REDACTED}"}`],
    ['"password": "x"', `"password": "${REDACTED}"`],
    ['{\\"password\\":\\"x y\\"}', `{\\"password\\":\\"${REDACTED}\\"}`],
    ['password: x', `password: ${REDACTED}`],
    // env assignments
    ['DB_PASS=a1 SMTP_PASS=a2 MYSQL_ROOT_PASSWORD=a3 PGPASSWORD=a4 APP_PWD=a5', `DB_PASS=${REDACTED} SMTP_PASS=${REDACTED} MYSQL_ROOT_PASSWORD=${REDACTED} PGPASSWORD=${REDACTED} APP_PWD=${REDACTED}`],
    ['export AWS_SECRET_ACCESS_KEY=abc GITHUB_TOKEN=def APP_SECRET=ghi GCP_CREDENTIALS=jkl', `export AWS_SECRET_ACCESS_KEY=${REDACTED} GITHUB_TOKEN=${REDACTED} APP_SECRET=${REDACTED} GCP_CREDENTIALS=${REDACTED}`],
    // URLs
    ['postgres://u:p@h/db', `postgres://u:${REDACTED}@h/db`],
    ['redis://:p@h:6379', `redis://:${REDACTED}@h:6379`],
    ['amqps://u:p@h/vh', `amqps://u:${REDACTED}@h/vh`],
    ['mongodb+srv://u:p@h/db', `mongodb+srv://u:${REDACTED}@h/db`],
    ['mysql://u:p@ss@h/db', `mysql://u:${REDACTED}@h/db`],
    // query strings and key=value
    ['/cb?token=t1&api_key=t2&apikey=t3&access_token=t4&secret=t5&password=t6&page=2', `/cb?token=${REDACTED}&api_key=${REDACTED}&apikey=${REDACTED}&access_token=${REDACTED}&secret=${REDACTED}&password=${REDACTED}&page=2`],
    // HTTP headers
    ['Authorization: Bearer abc.def-123', `Authorization: Bearer ${REDACTED}`],
    ['"Authorization": "Basic dXNlcjpwYXNz"', `"Authorization": "Basic ${REDACTED}"`],
    ['X-Api-Key: x', `X-Api-Key: ${REDACTED}`],
    ['Cookie: sessionid=abc123; theme=dark', `Cookie: sessionid=${REDACTED}; theme=${REDACTED}`],
    ['Set-Cookie: sid=abc123; Path=/; HttpOnly; Secure', `Set-Cookie: sid=${REDACTED}; Path=/; HttpOnly; Secure`],
    // connection strings
    ['jdbc:postgresql://db:5432/app?user=app&password=p1&ssl=true', `jdbc:postgresql://db:5432/app?user=app&password=${REDACTED}&ssl=true`],
    ['Server=tcp:db,1433;Database=app;User Id=app;Password=p2;Encrypt=true', `Server=tcp:db,1433;Database=app;User Id=app;Password=${REDACTED};Encrypt=true`],
    ['Driver={ODBC Driver 18};Uid=app;Pwd={a;b};', `Driver={ODBC Driver 18};Uid=app;Pwd=${REDACTED};`],
    ['password => "x"', `password => "${REDACTED}"`],
    ['env: [{name: API_TOKEN, value: abc}]', `env: [{name: API_TOKEN, value: ${REDACTED}}]`],
    ['https://b.s3.amazonaws.com/k?X-Amz-Date=20260101T000000Z&X-Amz-Signature=fe5f80f77d5fa3be&X-Amz-SignedHeaders=host', `https://b.s3.amazonaws.com/k?X-Amz-Date=20260101T000000Z&X-Amz-Signature=${REDACTED}&X-Amz-SignedHeaders=host`],
    // gitleaks-style values under secret-named keys
    ['config: {"stripeKey": "aB3dE5gH7jK9mN1pQ3sT5vX7"}', `config: {"stripeKey": "${REDACTED}"}`],
  ])('%s', (input, want) => {
    expect(redactText(input)).toBe(want);
  });

  it('redacts a long value whole, past the pattern bounds', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJ${'a'.repeat(3000)}.${'b'.repeat(500)}`;
    expect(redactText(`token=${jwt} next`)).toBe(`token=${REDACTED} next`);
    expect(redactText(`id ${jwt} next`)).toBe(`id ${REDACTED} next`);
    const cookie = Array.from({ length: 40 }, (_, i) => `c${i}=v${i}`).join('; ');
    const { out, count } = counted(`Cookie: ${cookie}`);
    expect(out).not.toMatch(/=v\d/);
    expect(count).toBe(40);
  });
});

describe('redactText catches what the second probe found leaking', () => {
  it.each([
    // a token alone as the user of a URL; ssh-style git remotes and emails stay (see the false-positive test)
    ['git clone https://x9Kq2mLp7RtZ4wVb8NcD@github.com/acme/etl.git', `git clone https://RR@github.com/acme/etl.git`],
    ['GIT_URL=https://ghp_short1@github.com/acme/etl.git', `GIT_URL=https://RR@github.com/acme/etl.git`],
    ['https://oauth2@gitlab.com/acme/etl.git', `https://RR@gitlab.com/acme/etl.git`],
    ['https://Ab12Cd34Ef56Gh78Ij90:x-oauth-basic@github.com/a/b', `https://RR:RR@github.com/a/b`],
    // token shapes
    ['VAULT_TOKEN hvs.CAESIJ3hBvOqU7bmO8f3P0Rk2a1bGh4KHGh2cy5SMmRvT1Fz and hvb.AAAAAQJ8rFhZ9o1v3N2s4T6u8W0x2Y4z6A8B0C2', 'VAULT_TOKEN RR and RR'],
    ['vault login s.Xq7bN2kLm9QwE4tYu8IoP3aS', 'vault login RR'],
    ['ya29.a0AfB_byC8Xq7bN2kLm9QwE4tYu8IoP3aS', 'RR'],
    ['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 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 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 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', 'RR RR RR RR'],
    [`dop_v1_${'4f1e2d3c'.repeat(8)} doo_v1_${'4f1e2d3c'.repeat(8)} dor_v1_${'4f1e2d3c'.repeat(8)}`, 'RR RR RR'],
    ['lin_api_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNm', 'RR'],
    ['ATATT3xFfGF0aB7cD9eF1gH3jK5mN7pQ9rS1tU3vW5xY7z', 'RR'],
    ['jira_api: Xq7bN2kLm9QwE4tYu8IoP3aS', 'jira_api: RR'],
    ['datadog api key 4f1e2d3c4b5a69788796a5b4c3d2e1f0', 'datadog api key RR'],
    ['NRAK-7Q2WX4KD9PLMN3RT8YVB6HZC1JF', 'RR'],
    ['glc_eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEyMzQ1Ni1obS1yZWFkIn0= glsa_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK_0a1b2c3d', 'RR RR'],
    ['sntrys_eyJpYXQiOjE2ODQ4ODAwMDB9_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zX', 'RR'],
    ['PMAK-5f1e2d3c4b5a697887960a1b-4f1e2d3c4b5a69788796a5b4c3d2e1f0ab', 'RR'],
    ['dp.pt.Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfG', 'RR'],
    ['pul-4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c', 'RR'],
    ['TFE Xq7bN2kLm9QwE4.atlasv1.tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfGhJkLqWeRtYuIoPzXcVbNmAsDfGhJk', 'TFE RR'],
    // env entries written value first
    ['{"value":"Pl4nted-v1","name":"DB_PASSWORD"}', '{"value":"RR","name":"DB_PASSWORD"}'],
    ['{\\"value\\":\\"Pl4nted-v2\\",\\"name\\":\\"DB_PASSWORD\\"}', '{\\"value\\":\\"RR\\",\\"name\\":\\"DB_PASSWORD\\"}'],
    ['env:\n- value: Pl4nted-v3\n  name: DB_PASSWORD\n', 'env:\n- value: RR\n  name: DB_PASSWORD\n'],
    ['{value: Pl4nted-v4, name: DB_PASSWORD}', '{value: RR, name: DB_PASSWORD}'],
    // keys in disguise: the key stays as written, only the value goes
    ['{"pass\\u0077ord": "Pl4nted-k1"}', '{"pass\\u0077ord": "RR"}'],
    ['password\u00a0=\u00a0Pl4nted-k2', 'password\u00a0=\u00a0RR'],
    ['password\\u00a0=\\u00a0Pl4nted-k3', 'password\\u00a0=\\u00a0RR'],
    ['p\u0430ssword=Pl4nted-k4', 'p\u0430ssword=RR'],
    ['DB_P\u0410SSWORD: Pl4nted-k5', 'DB_P\u0410SSWORD: RR'],
    ['\uff30\uff21\uff33\uff33\uff37\uff2f\uff32\uff24=Pl4nted-k6', '\uff30\uff21\uff33\uff33\uff37\uff2f\uff32\uff24=RR'],
    ['\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff1dPl4nted-k7', '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff1dRR'],
    ['pass\u200bword=Pl4nted-k8 ok', 'pass\u200bword=RR ok'],
    // docker login: -p is the password there
    ['docker login -p Pl4nted-d1 registry.example.com', 'docker login -p RR registry.example.com'],
    ['docker login -u ci -p Pl4nted-d2 registry.example.com', 'docker login -u ci -p RR registry.example.com'],
    ['docker login --password Pl4nted-d3 registry.example.com', 'docker login --password RR registry.example.com'],
    ['podman login -u ci -pPl4nted-d4 quay.io', 'podman login -u ci -pRR quay.io'],
    ['oc login -u dev -p Pl4nted-d5 https://api.example.com:6443', 'oc login -u dev -p RR https://api.example.com:6443'],
    // values on the lines below their key
    ['PASSWORD:\n  Pl4nted-y1\nnext: 1', 'PASSWORD:\n  RR\nnext: 1'],
    ['stringData:\n  password: |\n    Pl4nted-y2\n    Pl4nted-y3\n\n    Pl4nted-y4\n  user: app', 'stringData:\n  password: |\n    RR\n    RR\n\n    RR\n  user: app'],
    ['token: >-\n  Pl4nted-y5\n  Pl4nted-y6\n', 'token: >-\n  RR\n  RR\n'],
    // URL-encoded pairs
    ['next=%2Fcb%3Ftoken%3DPl4nted-u1%26page%3D2', 'next=%2Fcb%3Ftoken%3DRR%26page%3D2'],
    ['q=password%3DPl4nted-u2', 'q=password%3DRR'],
    ['body=%7B%22password%22%3A%22Pl4nted-u3%22%7D', 'body=%7B%22password%22%3A%22RR%22%7D'],
    ['user%5Bpassword%5D%3DPl4nted-u4&x=1', 'user%5Bpassword%5D%3DRR&x=1'],
    // SQL
    ["ALTER USER app WITH PASSWORD 'Pl4nted-s1'", "ALTER USER app WITH PASSWORD 'RR'"],
    ["CREATE USER 'app'@'%' IDENTIFIED BY 'Pl4nted-s2';", "CREATE USER 'app'@'%' IDENTIFIED BY 'RR';"],
    ["ALTER USER app IDENTIFIED WITH mysql_native_password BY 'Pl4nted-s3'", "ALTER USER app IDENTIFIED WITH mysql_native_password BY 'RR'"],
    ['CREATE USER scott IDENTIFIED BY Pl4nted-s4;', 'CREATE USER scott IDENTIFIED BY RR;'],
    ["SET PASSWORD = 'Pl4nted-s5'", "SET PASSWORD = 'RR'"],
    ["SET PASSWORD FOR 'app'@'localhost' = 'Pl4nted-s6'", "SET PASSWORD FOR 'app'@'localhost' = 'RR'"],
    ["SET PASSWORD = PASSWORD('Pl4nted-s7')", "SET PASSWORD = PASSWORD('RR')"],
    ["CREATE ROLE app LOGIN ENCRYPTED PASSWORD 'it''s-Pl4nted'", "CREATE ROLE app LOGIN ENCRYPTED PASSWORD 'RR'"],
    // URL passwords with a space or percent-encoding
    ['amqp://guest:Pl4nted Space@rabbit:5672/', 'amqp://guest:RR@rabbit:5672/'],
    ['postgres://u:p%40ssPl4nted@db/app', 'postgres://u:RR@db/app'],
    // prose
    ['the secret is Pl4ntedProse0001abcdef', 'the secret is RR'],
    ['token Pl4ntedProse0002abcdef accepted', 'token RR accepted'],
    ['using API key 9f86d081884c7d659a2feaa0c55ad015 for upload', 'using API key RR for upload'],
  ])('%s', (input, want) => {
    const { out, count } = counted(input);
    const expected = want.split('RR').join(REDACTED);
    expect(out).toBe(expected);
    // One per replacement; a multi-line block is one value.
    expect(count).toBe(/: [|>]/.test(input) ? 1 : expected.split(REDACTED).length - 1);
  });

  it('reads argv with docker login the same way', () => {
    const counter = { count: 0 };
    const out = redactObject([{ command: ['docker', 'login', '-u', 'ci', '-p', 'Pl4nted-a1', 'registry.example.com'] }, { args: ['login', '-p', 'Pl4nted-a2'] }], counter);
    expect(JSON.stringify(out)).not.toContain('Pl4nted');
    expect(counter.count).toBe(2);
  });

  it('reads object keys written with look-alikes', () => {
    expect(isSecretKey('p\u0430ssword')).toBe(true);
    expect(isSecretKey('\uff21\uff30\uff29_\uff2b\uff25\uff39')).toBe(true);
    expect(isSecretKey('DB_\u0420ASSWORD')).toBe(true);
    expect(isSecretKey('\u043f\u0430\u0440\u043e\u043b\u044c')).toBe(false); // Russian "parol": a word, not a look-alike
    const out = redactObject({ 'p\u0430ssword': 'Pl4nted-o1', env: [{ name: 'T\u041eKEN', value: 'Pl4nted-o2' }] });
    expect(JSON.stringify(out)).not.toContain('Pl4nted');
  });

  it('keeps a long value whole past the bounds, in the folded scan too', () => {
    const long = `Ab1${'x'.repeat(3000)}`;
    expect(redactText(`p\u0430ssword=${long} next`)).toBe(`p\u0430ssword=${REDACTED} next`);
    expect(redactText(`{"value":"${long}","name":"API_TOKEN"}`)).toBe(`{"value":"${REDACTED}","name":"API_TOKEN"}`);
  });
});

describe('PEM private keys', () => {
  const body = ['MIIEowIBAAKCAQEA7bq8Wk4gUfOrvXJbJ2P6dW4hG1wq0tKjL1PRVr0yR4m9uUx3', 'n2N8zN0Z5kQm1x6Y3Qb1Jx7T2w9Lq4s8Vd3fHj6Kp0Xr5Ue2Wg7Ya1Zc4Sb6Td8V', 'Zm9vYmFy'];
  it.each(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])('hides a whole %s block over many lines', (label) => {
    const pem = `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----`;
    const { out, count } = counted(`loading key:\n${pem}\nkey loaded`);
    expect(out).toBe(`loading key:\n-----BEGIN ${label}----- ${REDACTED} -----END ${label}-----\nkey loaded`);
    expect(count).toBe(1);
  });

  it('hides a block without END to the end of the text', () => {
    const { out, count } = counted(`start\n-----BEGIN OPENSSH PRIVATE KEY-----\n${body[0]}\n${body[1]}\nb3Blbn`);
    expect(out).toBe(`start\n-----BEGIN OPENSSH PRIVATE KEY----- ${REDACTED}`);
    expect(count).toBe(1);
  });

  it('ends an unterminated block where the key lines end, keeping the log after it', () => {
    const out = redactText(`-----BEGIN RSA PRIVATE KEY-----\n${body[0]}\n${body[1]}\nERROR: key file truncated\nretrying`);
    expect(out).toBe(`-----BEGIN RSA PRIVATE KEY----- ${REDACTED}\nERROR: key file truncated\nretrying`);
  });

  it('hides key lines before an END when the text starts inside the block', () => {
    const out = redactText(`${body[0]}\n${body[1]}\n${body[2]}\n-----END PRIVATE KEY-----\nnext step`);
    expect(out).toBe(`${REDACTED} -----END PRIVATE KEY-----\nnext step`);
  });

  it('hides timestamped key lines (kubectl logs --timestamps) and JSON-escaped keys', () => {
    const stamped = ['-----BEGIN PRIVATE KEY-----', ...body, '-----END PRIVATE KEY-----'].map((l) => `2026-01-01T00:00:00.000000000Z ${l}`).join('\n');
    expect(redactText(stamped)).not.toMatch(/MIIE|Zm9v/);
    const json = `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n${body.join('\\n')}\\n-----END PRIVATE KEY-----\\n","client_email":"a@b.iam.gserviceaccount.com"}`;
    const { out, count } = counted(json);
    expect(out).not.toMatch(/MIIE|Zm9v/);
    expect(out).toContain('"client_email":"a@b.iam.gserviceaccount.com"');
    expect(count).toBe(1);
  });

  it('leaves no key line in any cut of a window that was redacted whole', () => {
    const log = `a\n-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----\nb`;
    const window = redactText(log);
    for (let cut = 0; cut <= window.length; cut += 7) {
      expect(window.slice(0, cut)).not.toMatch(/MIIE|n2N8|Zm9v/);
      expect(window.slice(cut)).not.toMatch(/MIIE|n2N8|Zm9v/);
    }
  });
});

describe('isSecretKey', () => {
  it.each([
    'DB_PASS', 'SMTP_PASS', 'MYSQL_ROOT_PASSWORD', 'PGPASSWORD', 'REDIS_PWD', 'AWS_SECRET_ACCESS_KEY', 'STRIPE_KEY', 'API_KEY', 'GITHUB_TOKEN',
    'APP_SECRET', 'GOOGLE_CREDENTIALS', 'SECRET_KEY_BASE', 'example.com/db-password', 'vault.hashicorp.com/token', 'apiKey', 'x-api-key',
    'Authorization', 'cookie', 'client_secret', 'clientSecret', 'refresh_token', 'AccountKey', 'tls.key', 'client-key-data', '.dockerconfigjson',
    '.dockercfg', 'auth', 'Pwd', 'dsn', 'SENTRY_DSN', 'sessionid', 'session_id', 'passphrase', 'DB_PASSWORD_PROD', 'requirepass',
  ])('%s names a secret', (name) => {
    expect(isSecretKey(name)).toBe(true);
  });

  it.each([
    'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'PGHOST', 'PGUSER', 'secretName', 'secretKeyRef', 'imagePullSecrets', 'topologyKey', 'SORT_KEY', 'CACHE_KEY',
    'key', 'passwordless', 'Tokens', 'max_tokens', 'token_type', 'token_bucket', 'nextPageToken', 'TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'PWD',
    'OLDPWD', 'bypass', 'SECRET_NAME', 'TOKEN_FILE', 'client_id', 'private_key_id', 'client-certificate-data', 'authType', 'cronjob.kubernetes.io/instantiate',
    'batch.kubernetes.io/controller-uid', 'kubectl.kubernetes.io/last-applied-configuration', 'serviceAccountName', 'passwordSecretRef',
  ])('%s does not', (name) => {
    expect(isSecretKey(name)).toBe(false);
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
            { name: 'SMTP_PASS', value: '$(SHARED_SMTP_PASS)' },
          ],
          args: ['--token=abcdef123'],
        },
      ],
    };
    const counter = { count: 0 };
    const out = redactObject(structuredClone(spec), counter);
    const env = out.containers[0]?.env ?? [];
    expect(env.map((e) => ('value' in e ? e.value : 'ref'))).toEqual([REDACTED, REDACTED, REDACTED, 'db', 'ref', '', '$(SHARED_SMTP_PASS)']);
    expect(env[4]).toEqual(spec.containers[0]?.env[4]);
    expect(out.containers[0]?.args).toEqual([`--token=${REDACTED}`]);
    expect(counter.count).toBe(4);
  });

  it('hides annotation and label values whose key names a secret', () => {
    const job = {
      metadata: {
        labels: { app: 'etl', 'example.com/api-token': 'tok-123' },
        annotations: { 'example.com/db-password': 'x', 'vault.hashicorp.com/token': 's.AbCd', 'cronjob.kubernetes.io/instantiate': 'manual', 'example.com/owner': 'team-a' },
      },
    };
    const counter = { count: 0 };
    const out = redactObject(structuredClone(job), counter);
    expect(out.metadata.labels).toEqual({ app: 'etl', 'example.com/api-token': REDACTED });
    expect(out.metadata.annotations).toEqual({ 'example.com/db-password': REDACTED, 'vault.hashicorp.com/token': REDACTED, 'cronjob.kubernetes.io/instantiate': 'manual', 'example.com/owner': 'team-a' });
    expect(counter.count).toBe(3);
  });

  it('reads string arrays as argv: the secret is the element after the flag', () => {
    const containers = [
      { command: ['mysql'], args: ['-h', 'db', '-u', 'root', '-p', 'S3cr3t', 'app'] },
      { command: ['mysql', '-uroot', '-pS3cr3t'] },
      { args: ['--password', 'pw1', '-p', 'pw2', '--db-password=pw3', '--token', 'pw4'] },
      { command: ['redis-cli', '-a', 'pw5', 'ping'] },
      { command: ['curl', '-u', 'me:pw6', '--user', 'me:pw7', 'https://x'] },
      { command: ['sh', '-c', 'mysql -uroot -ppw8 -e "select 1"'] },
    ];
    const counter = { count: 0 };
    const out = redactObject(structuredClone(containers), counter);
    expect(JSON.stringify(out)).not.toMatch(/S3cr3t|pw\d/);
    expect(out[0]?.args).toEqual(['-h', 'db', '-u', 'root', '-p', REDACTED, 'app']);
    expect(out[1]?.command).toEqual(['mysql', '-uroot', `-p${REDACTED}`]);
    expect(out[4]?.command).toEqual(['curl', '-u', `me:${REDACTED}`, '--user', `me:${REDACTED}`, 'https://x']);
    expect(counter.count).toBe(10);
  });

  it('keeps argv that only look like password flags', () => {
    const containers = [
      { command: ['docker', 'run', '-p', '8080:80', '-v', '/data:/data', 'nginx'] },
      { command: ['mkdir', '-p', 'out'] },
      { command: ['psql', '-h', 'db', '-p', '5432', '-U', 'app'] },
      { args: ['--port', '5432', '-n', 'batch', '--token-file', '/var/run/token', '--password-stdin', 'registry.example.com'] },
      { command: ['docker', 'run', '-u', '1000:1000', 'img'] },
      { args: ['-p', '127.0.0.1:9090:9090/tcp', '--no-auth', 'on'] },
    ];
    const counter = { count: 0 };
    expect(redactObject(structuredClone(containers), counter)).toEqual(containers);
    expect(counter.count).toBe(0);
  });

  it('hides secret-named HTTP headers in probes', () => {
    const probe = { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Authorization', value: 'Bearer abc123def456' }, { name: 'X-Request-Id', value: 'probe' }] } };
    const out = redactObject(structuredClone(probe));
    expect(out.httpGet.httpHeaders).toEqual([{ name: 'Authorization', value: REDACTED }, { name: 'X-Request-Id', value: 'probe' }]);
  });
});

describe('counting', () => {
  it('counts every replacement once, even where two rules see the same value', () => {
    expect(counted('notify Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz').count).toBe(1);
    expect(counted('GITHUB_TOKEN=ghp_R7bX2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcV').count).toBe(1);
    expect(counted('{"name":"PGPASSWORD","value":"hunter2"}').count).toBe(1);
    expect(counted('a=1 password=x token=y').count).toBe(2);
  });

  it('is idempotent: redacting redacted text changes and counts nothing', () => {
    const once = redactText('password=x Authorization: Bearer abcdefghijklmnop postgres://u:p@h -pS3cr3t mysql');
    expect(counted(once)).toEqual({ out: once, count: 0 });
  });
});

describe('cost', () => {
  const adversarial: Record<string, string> = {
    letters: 'a'.repeat(1 << 20),
    'dash-p': '-p'.repeat(1 << 19),
    'dash-p spaced': '-p '.repeat(1 << 18),
    jwt: '-eyJ'.repeat(1 << 18),
    keys: 'Tokens:'.repeat(1 << 17),
    quotes: 'key="'.repeat(1 << 18),
    cookies: 'cookie: '.repeat(1 << 17),
    urls: '://a:'.repeat(1 << 18),
    pem: '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(1 << 15),
    flags: 'mysql -pa '.repeat(1 << 17),
    'value first': 'value:'.repeat(1 << 17),
    'url-encoded': 'token%3D'.repeat(1 << 17),
    'block scalars': 'password: |\n  x\n'.repeat(1 << 16),
    'vault-ish': 's.'.repeat(1 << 19),
    'vendor context': 'datadog '.repeat(1 << 17),
    'look-alike keys': 'p\u0430ss'.repeat(1 << 18),
    'full-width': '\uff30\uff21\uff33\uff33'.repeat(1 << 18),
    'escapes and odd spaces': '\\u0077\u00a0\n '.repeat(1 << 17),
  };
  it.each(Object.keys(adversarial))('finishes on a 1 MiB adversarial %s line and stays idempotent', (name) => {
    const input = adversarial[name] as string;
    const out = redactText(input);
    expect(redactText(out)).toBe(out);
  });
});

describe('Redactor', () => {
  it('counts what it hid', () => {
    const r = new Redactor(true);
    r.text('Bearer abcdefghijkl1 and AKIAZ3MDEMO7EXAMPLE1');
    expect(r.count).toBe(2);
  });

  it('does nothing when turned off by the server option', () => {
    const r = new Redactor(false);
    expect(r.text('Bearer abcdefghijkl1')).toBe('Bearer abcdefghijkl1');
    expect(r.object({ password: 'x' })).toEqual({ password: 'x' });
    expect(r.count).toBe(0);
  });
});

describe('forms an independent probe got through', () => {
  it.each([
    ['an AWS secret key after only a blank', 'export AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a short password in prose', 'note: the password is hunter2PL48, keep it', 'hunter2PL48'],
    ['a Google OAuth client secret', 'client 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', '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'],
    ['a base64-encoded PEM private key', `tls.key: ${Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n').toString('base64')}`, 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t'],
  ])('hides %s', (_, text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it.each([
    ['Password is required'],
    ['password was reset for user1234'],
    ['password is v2-rotated-2024'],
    [`ca.crt: ${Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBjjCCATOgAwIBAgITQGxnFXn8Avb8Yfrz\n-----END CERTIFICATE-----\n').toString('base64')}`],
  ])('keeps %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it.each([
    ['ENCRYPTION_KEY_1', true],
    ['API_TOKEN_2', true],
    ['HMAC', true],
    ['DB_PW', true],
    ['JWT_SIGNING', true],
    ['KUBECONFIG_DATA', true],
    ['KUBECONFIG', false],
    ['SIGNING_ALGORITHM', false],
    ['PRIMARY_KEY_1', false],
    ['NODE_PW_POLICY', false],
  ])('%s names a secret: %s', (name, secret) => {
    expect(isSecretKey(name)).toBe(secret);
  });
});

describe('forms a second probe got through', () => {
  it.each([
    ['a .netrc line', 'machine api.example.com login bot password S3cretPassw0rd', 'S3cretPassw0rd'],
    ['a long percent-encoded URL password', `postgres://ci:${'Kx9%21m%23Q2%40v'.repeat(10)}@db.example.com:5432/app`, 'Kx9%21m%23Q2%40v'],
    ['a long mysql -p password', `mysql -uroot -p${'Zq8Lp3Vw'.repeat(20)} app`, 'Zq8Lp3Vw'],
    ['a literal piped to docker login', 'echo Pl4ntedRegistryPass | docker login -u ci --password-stdin registry.example.com', 'Pl4ntedRegistryPass'],
    ['HMAC= in a log line', 'HMAC=Pl4ntedHmac0001', 'Pl4ntedHmac0001'],
    ['DB_PW= in a log line', 'DB_PW=Pl4ntedPw0001', 'Pl4ntedPw0001'],
    ['a Vault secret_id', 'vault write auth/approle/login role_id=abc secret_id=Pl4ntedSecretId0001', 'Pl4ntedSecretId0001'],
    ['a user:password decoded from base64', `curl -u "$(echo ${Buffer.from('ci:Pl4ntedB64Pass').toString('base64')} | base64 -d)" https://x`, Buffer.from('ci:Pl4ntedB64Pass').toString('base64')],
  ])('hides %s', (_, text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it.each([[`echo ${Buffer.from('hello world, plain text').toString('base64')} | base64 -d`], ['echo "$REGISTRY_PASSWORD" | docker login -u ci --password-stdin r.example.com'], ['machine api.example.com login bot'], ['AWS_SIGNING_REGION=eu-west-1'], ['PW_TEST_REPORTER=list']])('keeps %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it.each([
    ['VAULT_SECRET_ID', true],
    ['AWS_SIGNING_REGION', false],
    ['PW_TEST_REPORTER', false],
    ['USE_HMAC_ALGORITHM', false],
    ['KUBECONFIG_1', false],
  ])('%s names a secret: %s', (name, secret) => {
    expect(isSecretKey(name)).toBe(secret);
  });
});
