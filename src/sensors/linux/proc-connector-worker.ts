// Worker thread: reads the netlink process connector and turns fork/exec/exit into events. /proc is
// read here, right when the exec arrives, because a short-lived process may be gone a millisecond later.
import { hostname } from 'node:os';
import { createProcessTracker } from '../process-tracker.ts';
import { workerChannel } from '../worker-channel.ts';
import type { SensorEvent } from '../../events/index.ts';
import { errnos, libc, pollReadable } from './libc.ts';
import { listPids, readBootId, readProcess } from './procfs.ts';
import { netlink, parseProcConnector, procConnectorAddress, subscribeMessage } from './proc-connector.ts';
import { createUserNames } from './users.ts';

export type ProcConnectorOptions = {
  hostName?: string;
  emitTerminations: boolean;
  exitedTtlMs: number;
  initialBufferBytes: number;
  maxBufferBytes: number;
};

const c = libc();
const channel = workerChannel<ProcConnectorOptions>(c.read);
const opts = channel.options;
run();

function run(): void {
  const fd = c.socket(netlink.AF_NETLINK, netlink.SOCK_DGRAM | netlink.SOCK_CLOEXEC, netlink.NETLINK_CONNECTOR);
  if (fd < 0) return fail(`socket(NETLINK_CONNECTOR) failed (errno ${c.errno()})`);
  let bufferBytes = opts.initialBufferBytes;
  setBuffer(fd, bufferBytes);
  const addr = procConnectorAddress();
  if (c.bind(fd, addr, addr.length) < 0) return fail(`bind to the proc connector group failed (errno ${c.errno()})`, fd);
  const listen = subscribeMessage(true);
  if (c.send(fd, listen, listen.length, 0) < 0) return fail(`PROC_CN_MCAST_LISTEN failed (errno ${c.errno()})`, fd);

  const bootId = readBootId();
  const host = { name: opts.hostName ?? hostname(), bootId };
  const tracker = createProcessTracker({ host, bootId, users: createUserNames(), read: (pid) => readProcess(pid), exitedTtlMs: opts.exitedTtlMs });
  for (const pid of listPids()) tracker.learn(pid);
  // Kernel event stamps are CLOCK_MONOTONIC nanoseconds; this offset turns them into wall-clock time.
  let wallOffsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;
  channel.send({ type: 'ready', source: 'netlink-proc-connector', misses: [] });

  const buf = Buffer.alloc(256 * 1024);
  let lastSweep = Date.now();
  const stats = channel.stats;
  while (!channel.stopRequested()) {
    const ready = pollReadable(c, [fd, channel.wakeFd], 1000);
    if (ready.includes(1)) channel.drainWake();
    const batch: SensorEvent[] = [];
    while (ready.includes(0) && batch.length < 512) {
      const n = c.recv(fd, buf, buf.length, netlink.MSG_DONTWAIT);
      if (n < 0) {
        const errno = c.errno();
        if (errno === errnos.ENOBUFS) {
          // The kernel dropped messages: count it, grow the buffer, and relearn live processes.
          stats.drops += 1;
          count('enobufs');
          if (bufferBytes < opts.maxBufferBytes) {
            bufferBytes = Math.min(bufferBytes * 2, opts.maxBufferBytes);
            setBuffer(fd, bufferBytes);
            count('buffer_resizes');
          }
          const resynced = tracker.resync(listPids(), Date.now());
          count('resynced', resynced.length);
          batch.push(...resynced);
          continue;
        }
        if (errno !== errnos.EAGAIN && errno !== errnos.EINTR) {
          stats.errors += 1;
        }
        break;
      }
      for (const event of parseProcConnector(buf, n)) {
        const timeMs = wallOffsetMs + Number(event.timestampNs) / 1e6;
        switch (event.kind) {
          case 'fork':
            if (event.childPid === event.childTgid) {
              tracker.fork(event.parentTgid, event.childTgid, Math.floor(Number(event.timestampNs) / 1e7));
            }
            break;
          case 'exec':
            if (event.tgid !== process.pid) batch.push(tracker.exec(event.tgid, timeMs));
            break;
          case 'exit':
            if (event.pid === event.tgid) {
              const ended = tracker.exit(event.tgid, timeMs, event.exitCode);
              if (ended && opts.emitTerminations) batch.push(ended);
            }
            break;
        }
      }
    }
    channel.post(batch);
    const now = Date.now();
    if (now - lastSweep >= 1000) {
      lastSweep = now;
      wallOffsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;
      tracker.sweep(now);
      stats.counters['table_size'] = tracker.size();
      stats.counters['table_evicted'] = tracker.evicted();
      channel.postStats();
    }
  }
  const ignore = subscribeMessage(false);
  c.send(fd, ignore, ignore.length, 0);
  c.close(fd);
}

function setBuffer(fd: number, bytes: number): void {
  const value = Buffer.alloc(4);
  value.writeInt32LE(bytes);
  // RCVBUFFORCE passes rmem_max as root; without CAP_NET_ADMIN the plain option still helps a little.
  if (c.setsockopt(fd, netlink.SOL_SOCKET, netlink.SO_RCVBUFFORCE, value, 4) < 0) {
    c.setsockopt(fd, netlink.SOL_SOCKET, netlink.SO_RCVBUF, value, 4);
  }
}

function count(name: string, n = 1): void {
  channel.stats.counters[name] = (channel.stats.counters[name] ?? 0) + n;
}

function fail(reason: string, fd?: number): void {
  if (fd !== undefined && fd >= 0) c.close(fd);
  channel.send({ type: 'failed', reason });
}
