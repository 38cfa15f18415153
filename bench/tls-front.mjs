// HTTPS in front of the demo cluster, for the bench: real clusters speak TLS, and the Go peer
// (client-go) does not send a bearer token over plain HTTP, so against the demo's http:// URL every
// one of its calls failed with 401. A self-signed certificate for 127.0.0.1 (made with openssl, kept
// in .bench/tls) is the kubeconfig's certificate authority, so TLS is verified, not skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';

export async function startTlsFront(dir, demoUrl, token) {
  mkdirSync(dir, { recursive: true });
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  if (!existsSync(cert)) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '365', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  }
  const target = new URL(demoUrl);
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
    res.on('close', () => up.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${server.address().port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  const ca = readFileSync(cert).toString('base64');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster: {server: "${url}", certificate-authority-data: ${ca}}
users:
- name: demo-admin
  user: {token: ${token}}
contexts:
- name: demo
  context: {cluster: demo, user: demo-admin, namespace: demo}
current-context: demo
`,
    { mode: 0o600 },
  );
  return { url, kubeconfig, close: () => new Promise((resolve) => server.close(resolve)) };
}
