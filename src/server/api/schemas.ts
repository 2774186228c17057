// JSON schemas for every request body and query of the API: Fastify validates them before a handler
// runs, so a handler only ever sees the shapes of types.ts. Limits keep one agent from flooding storage.
import { alertLevels, sensorStates } from './types.ts';

const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
// Type lists, not anyOf: with Fastify's type coercion an anyOf branch could rewrite null into "".
const nullableName = { type: ['string', 'null'], minLength: 1, maxLength: 200 } as const;
const shortText = { type: 'string', maxLength: 200 } as const;
const count = { type: 'integer', minimum: 0, maximum: 1e12 } as const;
const isoTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const tags = { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: 100 } } as const;

export const limits = { alertsPerBatch: 1000, alertEventBytes: 64 * 1024 } as const;

export const enrollBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'hostname'],
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 300 },
    hostname: name,
    tags,
    agentVersion: shortText,
  },
} as const;

export const heartbeatBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['bootId', 'seq', 'sentAt', 'intervalS', 'versions', 'ring', 'tags', 'sensors', 'cpuPct', 'rssMb',
    'engineCrashes', 'engineRestarts', 'quarantinedRules', 'alertCounts'],
  properties: {
    bootId: { type: 'string', minLength: 1, maxLength: 64 },
    seq: count,
    sentAt: isoTime,
    intervalS: { type: 'number', minimum: 0, maximum: 86400 },
    versions: {
      type: 'object',
      additionalProperties: false,
      required: ['agent', 'content'],
      properties: { agent: name, content: nullableName },
    },
    ring: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
    tags,
    sensors: {
      type: 'array',
      maxItems: 32,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'state', 'eventsPerS', 'drops'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 64 },
          state: { type: 'string', enum: sensorStates },
          eventsPerS: { type: 'number', minimum: 0, maximum: 1e9 },
          drops: count,
        },
      },
    },
    cpuPct: { type: 'number', minimum: 0, maximum: 100000 },
    rssMb: { type: 'number', minimum: 0, maximum: 1e7 },
    engineCrashes: count,
    engineRestarts: count,
    quarantinedRules: { type: 'array', maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 200 } },
    alertCounts: { type: 'object', maxProperties: 10000, propertyNames: { maxLength: 200 }, additionalProperties: count },
    // Unknown fields are refused everywhere; an agent newer than its server puts new facts here
    // instead, so its heartbeats are still accepted (and kept) rather than going silent.
    extensions: { type: 'object', maxProperties: 100 },
  },
} as const;

export const alertBatchBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['alerts'],
  properties: {
    alerts: {
      type: 'array',
      minItems: 1,
      maxItems: limits.alertsPerBatch,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'ruleId', 'ruleTitle', 'level', 'time', 'contentVersion', 'event'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 128 },
          ruleId: name,
          ruleTitle: { type: 'string', maxLength: 500 },
          level: { type: 'string', enum: alertLevels },
          time: isoTime,
          contentVersion: nullableName,
          event: { type: 'object', maxProperties: 500 },
        },
      },
    },
  },
} as const;

export const createEnrollmentTokenBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ttlS: { type: 'integer', minimum: 60, maximum: 365 * 86400 },
    note: shortText,
    maxUses: { type: 'integer', minimum: 1, maximum: 1e9 },
  },
} as const;

export const rotateAdminTokenBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { note: shortText, all: { type: 'boolean' } },
} as const;

const limit = { type: 'integer', minimum: 1, maximum: 1000 } as const;
const cursor = { type: 'string', maxLength: 1000 } as const;

export const hostsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit,
    cursor,
    tag: { type: 'string', maxLength: 100 },
    state: { type: 'string', enum: ['online', 'silent', 'never-seen', 'revoked'] },
  },
} as const;

export const alertsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit,
    cursor,
    hostId: { type: 'string', maxLength: 64 },
    ruleId: { type: 'string', maxLength: 200 },
    level: { type: 'string', enum: alertLevels },
    since: isoTime,
  },
} as const;

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
