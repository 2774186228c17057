// Reader in the poll worker: the process sensor without the netlink connector (not root, or no CONFIG_PROC_EVENTS).
// Lists /proc every `intervalMs`; new pids become process_creation, vanished ones process_termination.
import { hostname } from 'node:os';
import type { SensorEvent } from '../../events/index.ts';
import { createProcessTracker } from '../process-tracker.ts';
import type { ReaderFactory } from '../poll-reader.ts';
import { listPids, readBootId, readProcess } from '../linux/procfs.ts';
import { createUserNames } from '../linux/users.ts';

export type ProcPollOptions = { intervalMs: number; emitTerminations: boolean; hostName?: string };

export const createProcPollReader: ReaderFactory<ProcPollOptions> = ({ options: opts, stats, post }) => {
  const bootId = readBootId();
  const tracker = createProcessTracker({
    host: { name: opts.hostName ?? hostname(), bootId }, bootId, users: createUserNames(), read: (pid) => readProcess(pid),
  });
  let live = new Set(listPids());
  for (const pid of live) tracker.learn(pid);
  let next = Date.now() + opts.intervalMs;
  const tick = (now: number) => {
    next = now + opts.intervalMs;
    const pids = listPids();
    const current = new Set(pids);
    const batch: SensorEvent[] = [];
    for (const pid of pids) {
      if (!live.has(pid) && pid !== process.pid) batch.push(tracker.exec(pid, now));
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
