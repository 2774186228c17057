// Reader in the poll worker: the process sensor without the netlink connector (not root, or no CONFIG_PROC_EVENTS).
// Lists /proc every `intervalMs`; new pids become process_creation, vanished ones process_termination.
import { hostname } from 'node:os';
import type { SensorEvent } from '../../events/index.ts';
import { createProcessTracker } from '../process-tracker.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { listPids, readBootId, readProcess, type ProcSnapshot } from '../linux/procfs.ts';
import { createUserNames } from '../linux/users.ts';

export type ProcPollOptions = { intervalMs: number; emitTerminations: boolean; hostName?: string };

export const createProcPollReader: ReaderFactory<ProcPollOptions> = ({ options: opts, stats, post }) => {
  const bootId = readBootId();
  const tracker = createProcessTracker({
    host: { name: opts.hostName ?? hostname(), bootId }, bootId, users: createUserNames(), read: (pid) => readProcess(pid),
  });
  let live = new Set(listPids());
  for (const pid of live) tracker.learn(pid);
  // A new pid that still runs its parent's image and command line was caught between fork and exec,
  // one with an image but no command line in the middle of exec (windows that widen on a busy host):
  // read again at the next poll, so the event names what it runs then; only a process that stays so
  // is reported as first seen.
  const forked = new Map<number, ProcSnapshot>();
  const unexeced = (snap: ProcSnapshot) => {
    if (snap.image !== undefined && snap.cmdline === undefined) return true;
    const parent = snap.ppid === undefined ? undefined : tracker.lookup(snap.ppid);
    return parent !== undefined && parent.exitedAtMs === undefined && snap.image !== undefined && parent.image === snap.image && parent.cmdline === snap.cmdline;
  };
  let next = Date.now() + opts.intervalMs;
  const tick = (now: number) => {
    next = now + opts.intervalMs;
    const pids = listPids();
    const current = new Set(pids);
    const batch: SensorEvent[] = [];
    for (const [pid, first] of forked) {
      const snap = current.has(pid) ? readProcess(pid) : undefined;
      const same = snap !== undefined && snap.startTicks === first.startTicks;
      // Gone: what the first read saw is all there is.
      batch.push(tracker.exec(pid, now, same && snap.image !== undefined ? snap : first));
      if (snap !== undefined && !same && snap.startTicks !== undefined) batch.push(tracker.exec(pid, now, snap)); // pid reused
    }
    forked.clear();
    for (const pid of pids) {
      if (live.has(pid) || pid === process.pid) continue;
      const snap = readProcess(pid);
      if (unexeced(snap)) forked.set(pid, snap);
      else batch.push(tracker.exec(pid, now, snap));
    }
    for (const pid of live) {
      if (current.has(pid)) continue;
      const ended = tracker.exit(pid, now, 0);
      if (ended && opts.emitTerminations) {
        // Polling cannot see an exit status.
        const { ExitCode: _unknown, ...rest } = ended;
        batch.push({ ...rest, missing: [...rest.missing, 'ExitCode'] });
      }
    }
    live = current;
    tracker.sweep(now);
    post(batch);
  };
  return {
    ok: true,
    source: 'proc-polling',
    misses: [],
    reader: {
      fds: () => [],
      readable: () => {},
      due: () => next,
      tick,
      refreshStats: () => void (stats.counters['table_size'] = tracker.size()),
      close: () => {},
    },
  };
};
