// Well-formed API bodies for tests; each test overrides the fields it is about.
import type { AlertUpload, Heartbeat } from '../../src/server/api/types.ts';
import type { NewHost, EnrollmentTokenRecord } from '../../src/server/storage/store.ts';

export function heartbeat(overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
    bootId: 'boot-1',
    seq: 1,
    sentAt: '2025-01-01T00:00:00.000Z',
    intervalS: 60,
    versions: { agent: '0.1.0', content: '2025.01.01' },
    ring: 1,
    tags: ['internal'],
    sensors: [{ name: 'proc-connector', state: 'running', eventsPerS: 12.5, drops: 2 }, { name: 'fanotify', state: 'running', eventsPerS: 3, drops: 1 }],
    cpuPct: 1.5,
    rssMb: 80,
    engineCrashes: 0,
    engineRestarts: 0,
    quarantinedRules: [],
    alertCounts: { 'rule-a': 2, 'rule-b': 1 },
    ...overrides,
  };
}

export function alert(id: string, overrides: Partial<AlertUpload> = {}): AlertUpload {
  return {
    id,
    ruleId: 'rule-a',
    ruleTitle: 'Suspicious shell',
    level: 'high',
    time: '2025-01-01T00:00:00.000Z',
    contentVersion: '2025.01.01',
    event: { Image: '/bin/sh', CommandLine: 'sh -c id' },
    ...overrides,
  };
}

export function enrollmentToken(id: string, overrides: Partial<EnrollmentTokenRecord> = {}): EnrollmentTokenRecord {
  return { id, secretHash: `hash-${id}`, note: '', createdAt: 1000, expiresAt: 1_000_000, revokedAt: null, maxUses: null, uses: 0, ...overrides };
}

export function newHost(id: string, overrides: Partial<NewHost> = {}): NewHost {
  return { id, hostname: `host-${id}`, tags: [], credentialHash: `cred-${id}`, enrolledAt: 2000, ...overrides };
}
