// V8's helper threads (concurrent garbage collection, background compilation) run at normal priority
// by default and hold a core for milliseconds at a time. A process the kernel has just woken (an exec
// the permission worker allowed, a child whose parent waits on it) then queues behind them: with
// exec permission on, they were most of the exec latency's tail (bench:sensors (c), traced with
// sched_switch). SCHED_IDLE gives them only CPU time no other task wants; what they leave undone,
// V8 finishes on the thread that needs it. The readers keep their own policies (reader-scheduler.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { libc } from './libc.ts';

const SCHED_IDLE = 5;

export type HelperThreadsResult = { threads: number; failed: number };

/** Puts this process's V8 helper threads (named `V8Worker` by Node) in SCHED_IDLE. */
export function idleHelperThreads(taskDir = '/proc/self/task'): HelperThreadsResult {
  const result: HelperThreadsResult = { threads: 0, failed: 0 };
  let tids: string[];
  try {
    tids = readdirSync(taskDir);
  } catch {
    return result;
  }
  const c = libc();
  for (const tid of tids) {
    let name: string;
    try {
      name = readFileSync(`${taskDir}/${tid}/comm`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    if (!name.startsWith('V8Worker')) continue;
    result.threads += 1;
    if (c.setScheduler(Number(tid), SCHED_IDLE, 0) !== 0) result.failed += 1;
  }
  return result;
}
