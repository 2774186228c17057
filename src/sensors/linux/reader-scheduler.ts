// Scheduling of the process connector's reading thread. A short-lived process exits within about half
// a millisecond of its exec; on a busy host a normal thread often wakes too late to read its command
// line. 'realtime' puts this one thread in SCHED_FIFO at the lowest real-time priority, which wakes it
// within tens of microseconds, under a CPU budget: when it was busy more than `budgetPct` of the last
// second (an exec storm), it drops to a normal nice -10 thread until the next second, so it can never
// monopolise a core. The thread only ever sleeps in recv() otherwise.
import type { Libc } from './libc.ts';

export type ReaderScheduling = { mode: 'realtime' | 'nice' | 'normal'; budgetPct: number };

export type ReaderScheduler = { busy(ms: number): void; tick(nowMs: number): void };

const SCHED_OTHER = 0;
const SCHED_FIFO = 1;

export function createReaderScheduler(c: Libc, scheduling: ReaderScheduling, count: (name: string) => void): ReaderScheduler {
  const tid = c.gettid();
  const realtime = () => c.setScheduler(tid, SCHED_FIFO, 1) === 0;
  const normal = () => {
    c.setScheduler(tid, SCHED_OTHER, 0);
    if (c.setpriority(0, tid, -10) < 0) count('setpriority_failed');
  };
  let isRealtime = false;
  if (scheduling.mode === 'realtime') {
    isRealtime = realtime();
    if (!isRealtime) {
      count('realtime_refused');
      normal();
    }
  } else if (scheduling.mode === 'nice') {
    normal();
  }
  let windowStart = Date.now();
  let busyMs = 0;
  let demoted = false;
  return {
    busy(ms) {
      busyMs += ms;
      if (isRealtime && !demoted && busyMs > (scheduling.budgetPct / 100) * 1000) {
        demoted = true;
        normal();
        count('realtime_demotions');
      }
    },
    tick(nowMs) {
      if (nowMs - windowStart < 1000) return;
      windowStart = nowMs;
      busyMs = 0;
      if (demoted) {
        demoted = false;
        isRealtime = realtime();
      }
    },
  };
}
