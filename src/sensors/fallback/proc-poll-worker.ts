// Worker thread: the process sensor without the netlink connector (not root, or no CONFIG_PROC_EVENTS).
// Lists /proc every `intervalMs`; new pids become process_creation, vanished ones process_termination.
import { hostname } from 'node:os';
import type { SensorEvent } from '../../events/index.ts';
import { createProcessTracker } from '../process-tracker.ts';
import { workerChannel } from '../worker-channel.ts';
import { libc, pollReadable } from '../linux/libc.ts';
import { listPids, readBootId, readProcess } from '../linux/procfs.ts';
import { createUserNames } from '../linux/users.ts';

export type ProcPollOptions = { intervalMs: number; emitTerminations: boolean; hostName?: string };

const c = libc();
const channel = workerChannel<ProcPollOptions>(c.read);
const opts = channel.options;
const bootId = readBootId();
const tracker = createProcessTracker({
  host: { name: opts.hostName ?? hostname(), bootId }, bootId, users: createUserNames(), read: (pid) => readProcess(pid),
});
let live = new Set(listPids());
for (const pid of live) tracker.learn(pid);
channel.send({ type: 'ready', source: 'proc-polling', misses: [] });
let lastStats = Date.now();
while (!channel.stopRequested()) {
  if (pollReadable(c, [channel.wakeFd], opts.intervalMs).length > 0) channel.drainWake();
  const now = Date.now();
  const pids = listPids();
  const next = new Set(pids);
  const batch: SensorEvent[] = [];
  for (const pid of pids) {
    if (!live.has(pid) && pid !== process.pid) batch.push(tracker.exec(pid, now));
  }
  for (const pid of live) {
    if (next.has(pid)) continue;
    const ended = tracker.exit(pid, now, 0);
    if (ended && opts.emitTerminations) {
      // Polling cannot see an exit status.
      const { ExitCode: _unknown, ...rest } = ended;
      batch.push({ ...rest, missing: [...rest.missing, 'ExitCode'] });
    }
  }
  live = next;
  tracker.sweep(now);
  channel.post(batch);
  if (now - lastStats >= 1000) {
    lastStats = now;
    channel.stats.counters['table_size'] = tracker.size();
    channel.postStats();
  }
}
