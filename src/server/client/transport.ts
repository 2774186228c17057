// One JSON request over node:http(s) with keep-alive, a deadline, and an optional CA for servers
// with their own certificate. Network failures come back as values, never as exceptions.
import http from 'node:http';
import https from 'node:https';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export type TransportRequest = { method: HttpMethod; path: string; body?: unknown; bearer?: string };
export type TransportResponse =
  | { kind: 'response'; status: number; body: unknown }
  | { kind: 'network-error'; message: string };
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export type TransportOptions = {
  baseUrl: string;
  /** PEM of the CA (or self-signed certificate) to trust for an https server. */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxSockets?: number;
};

export function httpTransport(options: TransportOptions): Transport {
  const base = new URL(options.baseUrl);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8, ...(options.ca === undefined ? {} : { ca: options.ca }) })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const prefix = base.pathname.replace(/\/$/, '');
  return (request) => new Promise<TransportResponse>((resolve) => {
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;
    const req = (secure ? https : http).request({
      protocol: base.protocol, hostname: base.hostname, port: base.port, path: `${prefix}${request.path}`,
      method: request.method, headers, agent, timeout: timeoutMs,
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', (error) => resolve({ kind: 'network-error', message: error.message }));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = text;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          // Not JSON (a proxy's error page): keep the text, the caller reports the status.
        }
        resolve({ kind: 'response', status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ kind: 'network-error', message: error.message }));
    req.end(payload);
  });
}
