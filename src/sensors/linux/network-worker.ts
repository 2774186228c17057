// Worker thread: lists the host's TCP/UDP sockets (IPv4 and IPv6) every `intervalMs` through
// sock_diag, or /proc/net as the fallback, and listens for destroyed sockets so a connection that
// opens and closes between two listings is still reported. Between listings it sleeps in poll().
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { SensorEvent } from '../../events/index.ts';
import { createConnectionTracker } from '../connection-tracker.ts';
import { parseProcNet } from '../fallback/proc-net.ts';
import type { SocketRow } from '../socket-row.ts';
import { workerChannel } from '../worker-channel.ts';
import { AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP, destroyGroups, dumpRequest, parseDiag } from './inet-diag.ts';
import { errnos, libc, pollReadable } from './libc.ts';
import { createProcessInfoReader } from './process-info.ts';
import { netlink } from './proc-connector.ts';
import { listPids, readBootId, socketInodes } from './procfs.ts';
import { createUserNames } from './users.ts';

export type NetworkWorkerOptions = { source: 'inet-diag' | 'proc-net'; intervalMs: number; hostName?: string };

const c = libc();
const channel = workerChannel<NetworkWorkerOptions>(c.read);
const opts = channel.options;
const buf = Buffer.alloc(256 * 1024);
run();

function run(): void {
  let dumpFd = -1;
  const destroyFds: { fd: number; protocol: 'tcp' | 'udp' }[] = [];
  if (opts.source === 'inet-diag') {
    dumpFd = c.socket(netlink.AF_NETLINK, netlink.SOCK_DGRAM | netlink.SOCK_CLOEXEC, netlink.NETLINK_SOCK_DIAG);
    if (dumpFd < 0) return fail(`socket(NETLINK_SOCK_DIAG) failed (errno ${c.errno()})`);
    if (listDiag(dumpFd) === undefined) return fail(`inet_diag dump failed (errno ${c.errno()})`, [dumpFd]);
    for (const protocol of ['tcp', 'udp'] as const) {
      const fd = c.socket(netlink.AF_NETLINK, netlink.SOCK_DGRAM | netlink.SOCK_CLOEXEC, netlink.NETLINK_SOCK_DIAG);
      const addr = Buffer.alloc(12);
      addr.writeUInt16LE(netlink.AF_NETLINK, 0);
      addr.writeUInt32LE(destroyGroups[protocol], 8);
      if (fd >= 0 && c.bind(fd, addr, 12) === 0) destroyFds.push({ fd, protocol });
      else if (fd >= 0) c.close(fd);
    }
  }
  const bootId = readBootId();
  const host = { name: opts.hostName ?? hostname(), bootId };
  const users = createUserNames();
  const tracker = createConnectionTracker({
    host, ownPid: process.pid, users, processInfo: createProcessInfoReader({ bootId, users }), scanSocketOwners,
  });
  const list = () => (opts.source === 'inet-diag' ? listDiag(dumpFd) : listProcNet());
  tracker.update(list() ?? [], Date.now()); // connections open before start are the baseline, not news
  const misses = destroyFds.length === 2 || opts.source === 'proc-net' ? [] : ['connections shorter than the listing interval'];
  channel.send({ type: 'ready', source: opts.source === 'inet-diag' ? 'sock-diag' : 'proc-net', misses });

  const stats = channel.stats;
  let nextList = Date.now() + opts.intervalMs;
  let lastStats = Date.now();
  while (!channel.stopRequested()) {
    const fds = [channel.wakeFd, ...destroyFds.map((d) => d.fd)];
    const ready = pollReadable(c, fds, Math.max(0, nextList - Date.now()));
    if (ready.includes(0)) channel.drainWake();
    const batch: SensorEvent[] = [];
    for (const index of ready) {
      if (index === 0) continue;
      const destroy = destroyFds[index - 1]!;
      for (;;) {
        const n = c.recv(destroy.fd, buf, buf.length, netlink.MSG_DONTWAIT);
        if (n <= 0) {
          if (n < 0 && c.errno() === errnos.ENOBUFS) stats.drops += 1;
          break;
        }
        batch.push(...tracker.destroyed(parseDiag(buf, n, destroy.protocol).rows, Date.now()));
      }
    }
    if (Date.now() >= nextList) {
      const rows = list();
      if (rows === undefined) stats.errors += 1;
      else batch.push(...tracker.update(rows, Date.now()));
      nextList = Date.now() + opts.intervalMs;
    }
    channel.post(batch);
    if (Date.now() - lastStats >= 1000) {
      lastStats = Date.now();
      stats.counters['owner_rescans'] = tracker.rescans();
      channel.postStats();
    }
  }
  if (dumpFd >= 0) c.close(dumpFd);
  destroyFds.forEach((d) => c.close(d.fd));
}

function listDiag(fd: number): SocketRow[] | undefined {
  const rows: SocketRow[] = [];
  let seq = 1;
  for (const [family, protocol, name] of [
    [AF_INET, IPPROTO_TCP, 'tcp'], [AF_INET6, IPPROTO_TCP, 'tcp'], [AF_INET, IPPROTO_UDP, 'udp'], [AF_INET6, IPPROTO_UDP, 'udp'],
  ] as const) {
    const request = dumpRequest(family, protocol, seq++);
    if (c.send(fd, request, request.length, 0) < 0) return undefined;
    for (;;) {
      const n = c.recv(fd, buf, buf.length, 0);
      if (n < 0) {
        if (c.errno() === errnos.EINTR) continue;
        return undefined;
      }
      const part = parseDiag(buf, n, name);
      rows.push(...part.rows);
      if (part.error) return undefined;
      if (part.done) break;
    }
  }
  return rows;
}

function listProcNet(): SocketRow[] | undefined {
  const rows: SocketRow[] = [];
  for (const [file, protocol, ipv6] of [['tcp', 'tcp', false], ['tcp6', 'tcp', true], ['udp', 'udp', false], ['udp6', 'udp', true]] as const) {
    try {
      rows.push(...parseProcNet(readFileSync(`/proc/net/${file}`, 'latin1'), protocol, ipv6));
    } catch {
      // A kernel without IPv6 has no tcp6/udp6; the others still count.
    }
  }
  return rows;
}

function scanSocketOwners(): Map<number, number> {
  const owners = new Map<number, number>();
  for (const pid of listPids()) {
    for (const inode of socketInodes(pid)) if (!owners.has(inode)) owners.set(inode, pid);
  }
  return owners;
}

function fail(reason: string, fds: number[] = []): void {
  fds.forEach((fd) => c.close(fd));
  channel.send({ type: 'failed', reason });
}
