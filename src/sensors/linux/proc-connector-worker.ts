// Worker thread: reads the netlink process connector and turns fork/exec/exit into events. /proc is
// read here, right when the exec arrives, because a short-lived process may be gone a millisecond later.
import { hostname } from 'node:os';
import { createProcessTracker } from '../process-tracker.ts';
import { workerChannel } from '../worker-channel.ts';
import type { SensorEvent } from '../../events/index.ts';
import { errnos, libc } from './libc.ts';
import { createFastProcReader } from './fast-procfs.ts';
import { createReaderScheduler, type ReaderScheduling } from './reader-scheduler.ts';
import { listPids, readBootId, type ProcSnapshot } from './procfs.ts';
import { netlink, parseProcConnector, procConnectorAddress, subscribeMessage } from './proc-connector.ts';
import { createUserNames } from './users.ts';

export type ProcConnectorOptions = {
  hostName?: string;
  emitTerminations: boolean;
  exitedTtlMs: number;
  initialBufferBytes: number;
  maxBufferBytes: number;
  scheduling: ReaderScheduling;
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
  const read = createFastProcReader(c);
  const tracker = createProcessTracker({ host, bootId, users: createUserNames(), read, exitedTtlMs: opts.exitedTtlMs });
  const scheduler = createReaderScheduler(c, opts.scheduling, count);
  for (const pid of listPids()) tracker.learn(pid);
  // Kernel event stamps are CLOCK_MONOTONIC nanoseconds; this offset turns them into wall-clock time.
  let wallOffsetMs = Date.now() - Number(process.hrtime.bigint()) / 1e6;
  channel.send({ type: 'ready', source: 'netlink-proc-connector', misses: [] });

  const buf = Buffer.alloc(256 * 1024);
  let lastSweep = Date.now();
  const stats = channel.stats;
  // Blocking recv() with a timeout instead of poll(): one syscall less between the kernel's exec
  // message and the /proc read. The timeout only bounds how long stop() waits.
  setReceiveTimeout(fd, 250);
  while (!channel.stopRequested()) {
    const batch: SensorEvent[] = [];
    let flags = 0;
    while (batch.length < 512) {
      const n = c.recv(fd, buf, buf.length, flags);
      const woke = process.hrtime.bigint();
      flags = netlink.MSG_DONTWAIT;
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
        if (errno !== errnos.EAGAIN && errno !== errnos.EINTR) stats.errors += 1;
        break;
      }
      const events = parseProcConnector(buf, n);
      // Read what vanishes at exit for every exec of this datagram before anything else: these
      // processes are racing to exit. What a zombie still shows is read afterwards.
      const snapshots = new Map<number, ProcSnapshot>();
      for (const event of events) {
        if (event.kind === 'exec' && event.tgid !== process.pid) snapshots.set(event.tgid, read.fleeting(event.tgid));
      }
      for (const snapshot of snapshots.values()) read.complete(snapshot);
      scheduler.busy(Number(process.hrtime.bigint() - woke) / 1e6);
      for (const event of events) {
        const timeMs = wallOffsetMs + Number(event.timestampNs) / 1e6;
        switch (event.kind) {
          case 'fork':
            if (event.childPid === event.childTgid) {
              tracker.fork(event.parentTgid, event.childTgid, Math.floor(Number(event.timestampNs) / 1e7));
            }
            break;
          case 'exec': {
            const snapshot = snapshots.get(event.tgid);
            if (snapshot) batch.push(tracker.exec(event.tgid, timeMs, snapshot));
            break;
          }
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
    scheduler.tick(now);
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

function setReceiveTimeout(fd: number, ms: number): void {
  const timeval = Buffer.alloc(16);
  timeval.writeBigInt64LE(BigInt(Math.floor(ms / 1000)), 0);
  timeval.writeBigInt64LE(BigInt((ms % 1000) * 1000), 8);
  c.setsockopt(fd, netlink.SOL_SOCKET, 20, timeval, 16); // SO_RCVTIMEO
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
