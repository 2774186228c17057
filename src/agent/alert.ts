// Alerts as the agent writes them (spool, JSON Lines output) and as it uploads them. One record per
// standalone detection match and per correlation firing; the id is a UUID made here, so the server
// can deduplicate retries.
import type { CorrelationFiring, RuleMeta } from '../sigma/index.ts';

export type AlertRule = { id: string; title: string; level?: string; author?: string; tags: string[] };

export type AlertRecord = {
  id: string;
  kind: 'detection' | 'correlation';
  /** When the agent raised the alert (ISO 8601). The event carries its own `@timestamp`. */
  time: string;
  host: { name: string };
  rule: AlertRule;
  contentVersion: string | null;
  event: Record<string, unknown>;
  correlation?: { type: string; group: Record<string, unknown>; value: number; events: number };
};

export type AlertContext = { id: string; time: string; hostName: string; contentVersion: string | null };

export function ruleOf(meta: RuleMeta): AlertRule {
  return {
    id: meta.id, title: meta.title, tags: [...meta.tags],
    ...(meta.level === undefined ? {} : { level: meta.level }),
    ...(meta.author === undefined ? {} : { author: meta.author }),
  };
}

export function detectionAlert(meta: RuleMeta, event: Record<string, unknown>, context: AlertContext): AlertRecord {
  return { id: context.id, kind: 'detection', time: context.time, host: { name: context.hostName }, rule: ruleOf(meta), contentVersion: context.contentVersion, event };
}

export function correlationAlert(firing: CorrelationFiring, event: Record<string, unknown>, context: AlertContext): AlertRecord {
  return {
    id: context.id, kind: 'correlation', time: context.time, host: { name: context.hostName }, rule: ruleOf(firing.rule),
    contentVersion: context.contentVersion, event,
    correlation: { type: firing.type, group: firing.group, value: firing.value, events: firing.eventIndexes.length },
  };
}

/** The server's alert levels; a rule without one (or with an unknown one) uploads as informational. */
export const uploadLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type UploadLevel = (typeof uploadLevels)[number];

export type AlertUploadPayload = {
  id: string;
  ruleId: string;
  ruleTitle: string;
  level: UploadLevel;
  time: string;
  contentVersion: string | null;
  event: Record<string, unknown>;
};

/** The server refuses events over 64 KiB or 500 keys; such an event is cut down, and says so. */
const maxEventBytes = 60 * 1024;
const maxEventKeys = 400;

export function toUpload(record: AlertRecord): AlertUploadPayload {
  const level = (uploadLevels as readonly string[]).includes(record.rule.level ?? '') ? (record.rule.level as UploadLevel) : 'informational';
  const event: Record<string, unknown> = { ...record.event };
  if (record.correlation) event['ring3.correlation'] = record.correlation;
  if (record.rule.author !== undefined) event['ring3.ruleAuthor'] = record.rule.author;
  return {
    id: record.id.slice(0, 128),
    ruleId: record.rule.id.slice(0, 200),
    ruleTitle: record.rule.title.slice(0, 500),
    level,
    time: record.time,
    contentVersion: record.contentVersion === null ? null : record.contentVersion.slice(0, 200),
    event: fitEvent(event),
  };
}

function fitEvent(event: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(event);
  if (keys.length <= maxEventKeys && Buffer.byteLength(JSON.stringify(event)) <= maxEventBytes) return event;
  const kept: Record<string, unknown> = { 'ring3.truncated': true };
  let size = 40;
  for (const key of keys.slice(0, maxEventKeys)) {
    let value = event[key];
    if (typeof value === 'string' && value.length > 4096) value = `${value.slice(0, 4096)}…`;
    const cost = Buffer.byteLength(JSON.stringify({ [key]: value }));
    if (size + cost > maxEventBytes) continue;
    kept[key] = value;
    size += cost;
  }
  return kept;
}

/** Reads back a spooled line; anything else is skipped by the uploader (counted). */
export function isAlertRecord(value: unknown): value is AlertRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<AlertRecord>;
  return typeof r.id === 'string' && typeof r.time === 'string' && typeof r.rule === 'object' && r.rule !== null
    && typeof r.rule.id === 'string' && typeof r.rule.title === 'string' && typeof r.event === 'object' && r.event !== null;
}
