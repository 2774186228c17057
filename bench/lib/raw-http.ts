// A minimal HTTP/1.1 keep-alive client for the benchmark's load generator: requests are written as
// one buffer on a raw socket and only the status line and Content-Length of the answer are read.
// Node's http client costs about as much CPU per request as the server it measures; on a shared
// 2-core machine the generator's CPU is taken from the server, so it must be cheap. One request at a
// time per connection (no pipelining); a request waits for a free connection, and that wait counts
// in its latency (it is measured from its scheduled time by the caller).
import net from 'node:net';

export type RawHttpClient = {
  post(path: string, headers: string, body: string): Promise<number>;
  close(): void;
};

type Request = { bytes: Buffer; resolve(status: number): void };
type Connection = { socket: net.Socket; current: Request | undefined; buffered: Buffer };

export function createRawHttpClient(host: string, port: number, maxConnections: number, timeoutMs: number): RawHttpClient {
  const idle: Connection[] = [];
  const waiting: Request[] = [];
  let open = 0;

  const finish = (connection: Connection, status: number) => {
    const request = connection.current;
    connection.current = undefined;
    request?.resolve(status);
    const next = waiting.shift();
    if (next !== undefined) send(connection, next);
    else idle.push(connection);
  };

  const connect = (): Connection => {
    open++;
    const socket = net.connect({ host, port, noDelay: true });
    const connection: Connection = { socket, current: undefined, buffered: Buffer.alloc(0) };
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      connection.buffered = connection.buffered.length === 0 ? chunk : Buffer.concat([connection.buffered, chunk]);
      const headEnd = connection.buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = connection.buffered.toString('latin1', 0, headEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (connection.buffered.length < headEnd + 4 + length) return;
      connection.buffered = connection.buffered.subarray(headEnd + 4 + length);
      finish(connection, Number(head.slice(9, 12)));
    });
    socket.on('close', () => {
      open--;
      const index = idle.indexOf(connection);
      if (index >= 0) idle.splice(index, 1);
      connection.current?.resolve(0);
      connection.current = undefined;
      const next = waiting.shift();
      if (next !== undefined) send(connect(), next);
    });
    socket.on('error', () => {});
    return connection;
  };

  const send = (connection: Connection, request: Request) => {
    connection.current = request;
    connection.socket.write(request.bytes);
  };

  return {
    post(path, headers, body) {
      return new Promise((resolve) => {
        const bytes = Buffer.from(`POST ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\ncontent-type: application/json\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        const request: Request = { bytes, resolve };
        const connection = idle.pop() ?? (open < maxConnections ? connect() : undefined);
        if (connection === undefined) waiting.push(request);
        else send(connection, request);
      });
    },
    close() {
      for (const connection of idle.splice(0)) connection.socket.destroy();
    },
  };
}
