// Runs the kernel-interface sensor when it starts, and otherwise its fallback, which then reports
// degraded with the reason the primary failed and what the fallback misses.
import type { EventSink, Sensor, SensorStatus } from './sensor.ts';

export function withFallback(primary: Sensor, fallback: (reason: string) => Sensor): Sensor {
  let active: Sensor = primary;
  return {
    name: primary.name,
    kind: primary.kind,
    async start(sink: EventSink): Promise<SensorStatus> {
      active = primary;
      const status = await primary.start(sink);
      if (status.state !== 'failed') return status;
      active = fallback(`${status.source}: ${status.reason ?? 'failed to start'}`);
      return active.start(sink);
    },
    stop: () => active.stop(),
    status: () => active.status(),
  };
}
