// Runs the rollout engine's tick on a timer inside the server. One tick at a time; a failing tick is
// logged and retried at the next one, it never takes the server down.
import type { RolloutService, TickOutcome } from './service.ts';

export type TickerOptions = {
  now: () => number;
  intervalMs: number;
  onOutcome?: (outcome: TickOutcome) => void;
  onError?: (error: unknown) => void;
};

export function startRolloutTicker(service: RolloutService, options: TickerOptions): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = service.tick(options.now())
      .then((result) => {
        if (result.kind === 'ok') options.onOutcome?.(result.value);
        else options.onError?.(new Error(result.diagnostics.map((d) => d.message).join('; ')));
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => { running = null; });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
