// Worker thread: answers FAN_OPEN_EXEC_PERM for the marked mounts. Every request is answered before
// its deadline. With a decider (exec-permission-protocol.ts) the verdict is reached here, on this
// real-time thread; otherwise the main thread writes it into shared memory, and an exec whose verdict
// has not arrived by the deadline is allowed. The only blocking call is poll(), and its timeout is
// the earliest deadline.
import { readFileSync } from 'node:fs';
import { workerChannel } from '../worker-channel.ts';
import { fan, metadataSize } from './fanotify.ts';
import { errnos, libc } from './libc.ts';
import { parseStat } from './procfs.ts';
import { createReaderScheduler } from './reader-scheduler.ts';
import {
  verdictCodes, type ExecDecider, type ExecDeciderModule, type ExecFacts, type ExecPermissionControl, type ExecPermissionOptions,
} from './exec-permission-protocol.ts';

const O_RDONLY = 0;
const O_LARGEFILE = 0x8000;
const POLLIN = 0x1;

const c = libc();
const linkBuffer = Buffer.alloc(4096);
const channel = workerChannel<ExecPermissionOptions>(c.read);
const opts = channel.options;
const slots = new Int32Array(opts.verdicts);
const ask = new Int32Array(opts.ask);
const counters = channel.stats.counters;
const bump = (name: string) => {
  counters[name] = (counters[name] ?? 0) + 1;
};
const deciderModule = opts.decider ? await importDecider(opts.decider.module) : undefined;
let decider = opts.decider ? buildDecider(opts.decider.config) : undefined;
run();

function run(): void {
  const fd = c.fanotifyInit(fan.CLASS_CONTENT | fan.CLOEXEC | fan.NONBLOCK, O_RDONLY | O_LARGEFILE);
  if (fd < 0) return fail(`fanotify_init(FAN_CLASS_CONTENT) failed (errno ${c.errno()})`);
  for (const mount of opts.mounts) {
    if (c.fanotifyMark(fd, fan.MARK_ADD | fan.MARK_MOUNT, BigInt(fan.OPEN_EXEC_PERM), -100, mount) < 0) {
      return fail(`fanotify_mark(FAN_OPEN_EXEC_PERM, "${mount}") failed (errno ${c.errno()})`, fd);
    }
  }
  // The first real exec should not pay for compiling the paths it takes: run them once on ourselves.
  describe(process.pid, fd, true);
  channel.send({ type: 'ready', source: 'fanotify-open-exec-perm', misses: [] });

  const pending = new Map<number, { eventFd: number; deadline: number; generation: number; since: number }>();
  const free: number[] = Array.from({ length: slots.length }, (_, i) => slots.length - 1 - i);
  let generation = 1;
  // Every exec on a marked mount waits for this thread: like the process reader, it runs SCHED_FIFO 1
  // under a 25 % CPU budget, so that a busy host does not add its run-queue delay to each exec
  // (measured with bench:sensors, docs/sensors.md "Benchmark").
  const scheduler = createReaderScheduler(c, { mode: 'realtime', budgetPct: 25 }, bump);
  // The hot path allocates nothing it can avoid: a garbage collection on this thread is an exec's wait.
  const response = Buffer.alloc(8);
  const pollFds = Buffer.alloc(16);
  pollFds.writeInt32LE(fd, 0);
  pollFds.writeInt16LE(POLLIN, 4);
  pollFds.writeInt32LE(channel.wakeFd, 8);
  pollFds.writeInt16LE(POLLIN, 12);
  const answer = (eventFd: number, allow: boolean, since?: number) => {
    response.writeInt32LE(eventFd, 0);
    response.writeUInt32LE(allow ? fan.ALLOW : fan.DENY, 4);
    if (c.write(fd, response, 8) < 0) channel.stats.errors += 1;
    c.close(eventFd);
    bump(allow ? 'allowed' : 'denied');
    if (since !== undefined) {
      const waitedMs = performance.now() - since;
      if (waitedMs > (counters['wait_max_ms'] ?? 0)) counters['wait_max_ms'] = Math.round(waitedMs * 100) / 100;
      if (waitedMs > 1) bump('waits_over_1ms');
    }
  };
  const release = (slot: number) => {
    Atomics.store(slots, slot, verdictCodes.free);
    pending.delete(slot);
    free.push(slot);
  };
  // ring3 never waits on itself.
  const isSelf = (pid: number) => pid === process.pid || isChildOf(pid, process.pid);

  const decideHere = (d: ExecDecider, eventFd: number, pid: number, since: number) => {
    if (!d.mayDeny) {
      bump('no_deny_rules_allowed');
      return answer(eventFd, true);
    }
    const exec = describe(pid, eventFd, d.readsCurrentImage !== false);
    let decision;
    try {
      decision = d.decide(exec);
    } catch {
      bump('decider_errors');
      decision = { allow: true } as const;
    }
    // Checked only before a deny: it reads /proc, and nearly every exec is allowed anyway.
    if (!decision.allow && isSelf(pid)) {
      bump('self_allowed');
      return answer(eventFd, true);
    }
    answer(eventFd, decision.allow, since);
    if (!decision.allow) channel.send({ type: 'exec-denied', exec, ruleId: decision.ruleId });
  };
  const askHost = (eventFd: number, pid: number, since: number) => {
    // No rule could deny (the host says so): no question to ask, no round trip.
    if (Atomics.load(ask, 0) === 0) {
      bump('no_deny_rules_allowed');
      return answer(eventFd, true);
    }
    // A full table must not turn into waiting.
    if (isSelf(pid) || free.length === 0) {
      bump(free.length === 0 ? 'overflow_allowed' : 'self_allowed');
      return answer(eventFd, true);
    }
    const slot = free.pop()!;
    generation = (generation % 0x1fffffff) + 1;
    Atomics.store(slots, slot, generation * 4);
    pending.set(slot, { eventFd, deadline: Date.now() + opts.deadlineMs, generation, since });
    channel.send({ type: 'verdict-request', slot, request: { ...describe(pid, eventFd, true), generation } });
  };

  const buf = Buffer.alloc(16 * 1024);
  let lastStats = Date.now();
  while (!channel.stopRequested()) {
    let timeout = 1000;
    if (pending.size > 0) {
      const now = Date.now();
      for (const p of pending.values()) timeout = Math.min(timeout, Math.max(0, p.deadline - now));
    }
    pollFds.writeInt16LE(0, 6);
    pollFds.writeInt16LE(0, 14);
    const ready = c.poll(pollFds, 2, timeout);
    const woke = performance.now();
    if (ready > 0 && pollFds.readInt16LE(14) !== 0) {
      channel.drainWake();
      for (const message of channel.receive() as ExecPermissionControl[]) {
        if (message.type === 'decider-config') decider = buildDecider(message.config);
      }
    }
    while (ready > 0 && pollFds.readInt16LE(6) !== 0) {
      const n = c.read(fd, buf, buf.length);
      if (n <= 0) {
        if (n < 0 && c.errno() !== errnos.EAGAIN && c.errno() !== errnos.EINTR) channel.stats.errors += 1;
        break;
      }
      // Permission events carry no info records: fixed-size metadata, read in place.
      for (let offset = 0; offset + metadataSize <= n; ) {
        const eventLen = buf.readUInt32LE(offset);
        if (eventLen < metadataSize) break;
        const mask = buf.readUInt32LE(offset + 8);
        const eventFd = buf.readInt32LE(offset + 16);
        const pid = buf.readInt32LE(offset + 20);
        offset += eventLen;
        if (eventFd < 0 || !(mask & fan.OPEN_EXEC_PERM)) continue;
        bump('requests');
        if (decider) decideHere(decider, eventFd, pid, woke);
        else askHost(eventFd, pid, woke);
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
    if (t - lastStats >= (ready > 0 ? 100 : 1000)) {
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

async function importDecider(module: string): Promise<ExecDeciderModule | undefined> {
  try {
    return (await import(module)) as ExecDeciderModule;
  } catch (error) {
    channel.send({ type: 'decider-failed', reason: `cannot load the exec decider ${module}: ${(error as Error).message}` });
    return undefined;
  }
}

/** A decider that cannot be built allows every exec (and says why): prevention fails open, never the host. */
function buildDecider(config: unknown): ExecDecider {
  try {
    if (!deciderModule) throw new Error('the decider module did not load');
    return warmedUp(deciderModule.createExecDecider(config));
  } catch (error) {
    bump('decider_load_errors');
    channel.send({ type: 'decider-failed', reason: (error as Error).message });
    return { mayDeny: false, decide: () => ({ allow: true }) };
  }
}

/**
 * Runs a new decider on made-up execs first: the first real exec would otherwise wait while V8
 * compiles the engine's functions (measured: the few execs over 1 ms after each start or reload).
 */
function warmedUp(d: ExecDecider): ExecDecider {
  if (!d.mayDeny) return d;
  for (let i = 0; i < 200; i += 1) {
    try {
      d.decide({ pid: 0, path: `/nonexistent/ring3-warm-up/${i % 7}`, currentImage: '/nonexistent/ring3-warm-up/parent' });
    } catch {
      break; // a decider that throws is handled per exec
    }
  }
  return d;
}

/** Through libc into one buffer: no exception when the process is gone, no allocation but the string. */
function link(path: string): string | undefined {
  const n = c.readlink(path, linkBuffer, linkBuffer.length);
  return n < 0 ? undefined : linkBuffer.toString('utf8', 0, n);
}

function describe(pid: number, eventFd: number, withCurrentImage: boolean): ExecFacts {
  const path = link(`/proc/self/fd/${eventFd}`) ?? '';
  const currentImage = withCurrentImage ? link(`/proc/${pid}/exe`) : undefined;
  return { pid, path, ...(currentImage === undefined ? {} : { currentImage }) };
}

function isChildOf(pid: number, parent: number): boolean {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1')).ppid === parent;
  } catch {
    return false;
  }
}


function fail(reason: string, fd?: number): void {
  if (fd !== undefined && fd >= 0) c.close(fd);
  channel.send({ type: 'failed', reason });
}
