// Worker thread: answers FAN_OPEN_EXEC_PERM for the marked mounts. Every request is answered before
// its deadline: with the verdict the main thread wrote into shared memory if it arrived in time,
// otherwise with allow. The only blocking call is poll(), and its timeout is the earliest deadline.
import { readFileSync, readlinkSync } from 'node:fs';
import { workerChannel } from '../worker-channel.ts';
import { fan, parseFanotify } from './fanotify.ts';
import { errnos, libc, pollReadable } from './libc.ts';
import { parseStat } from './procfs.ts';
import { createReaderScheduler } from './reader-scheduler.ts';
import { verdictCodes, type ExecPermissionOptions } from './exec-permission-protocol.ts';

const O_RDONLY = 0;
const O_LARGEFILE = 0x8000;

const c = libc();
const channel = workerChannel<ExecPermissionOptions>(c.read);
const opts = channel.options;
const slots = new Int32Array(opts.verdicts);
const ask = new Int32Array(opts.ask);
run();

function run(): void {
  const fd = c.fanotifyInit(fan.CLASS_CONTENT | fan.CLOEXEC | fan.NONBLOCK, O_RDONLY | O_LARGEFILE);
  if (fd < 0) return fail(`fanotify_init(FAN_CLASS_CONTENT) failed (errno ${c.errno()})`);
  for (const mount of opts.mounts) {
    if (c.fanotifyMark(fd, fan.MARK_ADD | fan.MARK_MOUNT, BigInt(fan.OPEN_EXEC_PERM), -100, mount) < 0) {
      return fail(`fanotify_mark(FAN_OPEN_EXEC_PERM, "${mount}") failed (errno ${c.errno()})`, fd);
    }
  }
  channel.send({ type: 'ready', source: 'fanotify-open-exec-perm', misses: [] });

  const pending = new Map<number, { eventFd: number; deadline: number; generation: number; since: number }>();
  const free: number[] = Array.from({ length: slots.length }, (_, i) => slots.length - 1 - i);
  let generation = 1;
  const counters = channel.stats.counters;
  const bump = (name: string) => {
    counters[name] = (counters[name] ?? 0) + 1;
  };
  // Every exec on a marked mount waits for this thread twice (the request, then the verdict): like the
  // process reader, it runs SCHED_FIFO 1 under a 25 % CPU budget, so that a busy host does not add its
  // run-queue delay to each exec (measured with bench:sensors, docs/sensors.md "Benchmark").
  const scheduler = createReaderScheduler(c, { mode: 'realtime', budgetPct: 25 }, bump);
  const response = Buffer.alloc(8);
  const answer = (eventFd: number, allow: boolean, since?: number) => {
    response.writeInt32LE(eventFd, 0);
    response.writeUInt32LE(allow ? fan.ALLOW : fan.DENY, 4);
    if (c.write(fd, response, 8) < 0) channel.stats.errors += 1;
    c.close(eventFd);
    bump(allow ? 'allowed' : 'denied');
    if (since !== undefined) {
      const waitedMs = performance.now() - since;
      counters['wait_max_ms'] = Math.max(counters['wait_max_ms'] ?? 0, Math.round(waitedMs * 100) / 100);
      if (waitedMs > 1) bump('waits_over_1ms');
    }
  };
  const release = (slot: number) => {
    Atomics.store(slots, slot, verdictCodes.free);
    pending.delete(slot);
    free.push(slot);
  };

  const buf = Buffer.alloc(16 * 1024);
  let lastStats = Date.now();
  while (!channel.stopRequested()) {
    let timeout = 1000;
    const now = Date.now();
    for (const p of pending.values()) timeout = Math.min(timeout, Math.max(0, p.deadline - now));
    const ready = pollReadable(c, [fd, channel.wakeFd], timeout);
    const woke = performance.now();
    if (ready.includes(1)) channel.drainWake();
    while (ready.includes(0)) {
      const n = c.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && c.errno() !== errnos.EAGAIN && c.errno() !== errnos.EINTR) channel.stats.errors += 1;
        break;
      }
      for (const event of parseFanotify(buf, n)) {
        if (event.fd < 0 || !(event.mask & fan.OPEN_EXEC_PERM)) continue;
        bump('requests');
        // No rule could deny (the host says so): no question to ask, no round trip.
        if (Atomics.load(ask, 0) === 0) {
          bump('no_deny_rules_allowed');
          answer(event.fd, true);
          continue;
        }
        // ring3 never waits on itself, and a full table must not turn into waiting.
        if (event.pid === process.pid || isChildOf(event.pid, process.pid) || free.length === 0) {
          bump(free.length === 0 ? 'overflow_allowed' : 'self_allowed');
          answer(event.fd, true);
          continue;
        }
        const slot = free.pop()!;
        generation = (generation % 0x1fffffff) + 1;
        Atomics.store(slots, slot, generation * 4);
        pending.set(slot, { eventFd: event.fd, deadline: Date.now() + opts.deadlineMs, generation, since: woke });
        channel.send({ type: 'verdict-request', slot, request: { ...describe(event.pid, event.fd), generation } });
      }
    }
    const t = Date.now();
    for (const [slot, p] of pending) {
      const value = Atomics.load(slots, slot);
      const verdict = value >> 2 === p.generation ? value & 3 : verdictCodes.none;
      if (verdict === verdictCodes.allow || verdict === verdictCodes.deny) {
        answer(p.eventFd, verdict === verdictCodes.allow, p.since);
        release(slot);
      } else if (t >= p.deadline) {
        bump('timeouts');
        answer(p.eventFd, true, p.since);
        release(slot);
      }
    }
    scheduler.busy(performance.now() - woke);
    scheduler.tick(t);
    // Counters go out promptly after activity, and once a second when idle.
    if (t - lastStats >= (ready.length > 0 ? 100 : 1000)) {
      lastStats = t;
      counters['pending'] = pending.size;
      channel.postStats();
    }
  }
  for (const [slot, p] of pending) {
    answer(p.eventFd, true);
    release(slot);
  }
  c.close(fd);
}

function describe(pid: number, eventFd: number): { pid: number; path: string; currentImage?: string } {
  const path = link(`/proc/self/fd/${eventFd}`) ?? '';
  const currentImage = link(`/proc/${pid}/exe`);
  return { pid, path, ...(currentImage === undefined ? {} : { currentImage }) };
}

function isChildOf(pid: number, parent: number): boolean {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1')).ppid === parent;
  } catch {
    return false;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function fail(reason: string, fd?: number): void {
  if (fd !== undefined && fd >= 0) c.close(fd);
  channel.send({ type: 'failed', reason });
}
