// Sticky salted-hash buckets. A host's bucket depends only on (salt, host id), never on the ring, so
// a host that took a release in the 1 % ring is still in it at 10 %: exposure widens, never reshuffles.
// The salt is per release by default, so the next release's 1 % is a different 1 % of the fleet.
import { createHash } from 'node:crypto';
import type { RingPlan, RingSelector } from './ring-plan.ts';

/** A position in [0, 100) with 1/2^32 resolution. */
export function bucketOf(salt: string, hostId: string): number {
  const digest = createHash('sha256').update(salt).update('\0').update(hostId).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

export type RingHost = { hostId: string; tags: readonly string[] };

export function selects(selector: RingSelector, host: RingHost, salt: string): boolean {
  switch (selector.kind) {
    case 'tag': return host.tags.includes(selector.tag);
    case 'percent': return bucketOf(salt, host.hostId) < selector.percent;
  }
}

/** The first ring that holds the host (rings are cumulative), or the plan's length if none does. */
export function ringOfHost(plan: RingPlan, host: RingHost, salt: string): number {
  const index = plan.rings.findIndex((ring) => selects(ring.selector, host, salt));
  return index === -1 ? plan.rings.length : index;
}
