// Checks every HTTP request passes before it reaches MCP: Host and Origin
// against DNS rebinding, and the body size.

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

export const isLoopback = (host: string) => LOOPBACK_HOSTS.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

export interface GuardOptions {
  bindHost: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

/** Hostname of a Host header, without the port ("[::1]:8080" → "[::1]"). */
function hostname(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? '';
}

/** Why a request must be refused (403), or undefined when Host and Origin are acceptable. */
export function rejectHostOrOrigin(o: GuardOptions, host: string | undefined, origin: string | undefined): string | undefined {
  const loopback = isLoopback(o.bindHost);
  const hosts = o.allowedHosts.length ? o.allowedHosts : loopback ? LOOPBACK_HOSTS : [];
  if (hosts.length) {
    if (!host || !hosts.includes(hostname(host))) return `Host "${host ?? ''}" is not allowed (DNS rebinding protection); allowed: ${hosts.join(', ')}`;
  }
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      return `Origin "${origin}" is not a valid origin`;
    }
    const bracketed = originHost.includes(':') && !originHost.startsWith('[') ? `[${originHost}]` : originHost;
    const ok = o.allowedOrigins.length ? o.allowedOrigins.includes(origin) : loopback && LOOPBACK_HOSTS.includes(bracketed);
    if (!ok) return `Origin "${origin}" is not allowed`;
  }
  return undefined;
}
