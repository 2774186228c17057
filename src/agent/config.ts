// The agent's configuration: one YAML file, every key checked (unknown keys refused, wrong types and
// ranges reported with file, line and key path). Defaults depend only on what the caller passes in
// (state directory, host name), never on globals.
import { join } from 'node:path';
import type { SensorMode, SensorsConfig } from '../sensors/index.ts';
import { absolutePath, createReader, parseConfigText, type ConfigReader } from './config-reader.ts';
import type { AgentResult } from './diagnostics.ts';

export const fsyncPolicies = ['always', 'interval', 'never'] as const;
export type FsyncPolicy = (typeof fsyncPolicies)[number];

export type SpoolConfig = { maxMb: number; segmentKb: number; fsync: FsyncPolicy; fsyncIntervalMs: number };

export type AgentConfig = {
  host: { name: string; tags: string[] };
  /** Spool, content store, credential, status and run records live here. */
  stateDir: string;
  content: {
    store: string;
    pack: string;
    /** Base URL of a TUF repository (its `metadata/` and `targets/`); without it only the server can name versions already stored. */
    repository?: string;
    /** The repository's root.json, installed into the store when the store has none. */
    rootFile?: string;
    pollIntervalS: number;
    crashLoop: { maxStarts: number; windowMinutes: number; probationMinutes: number };
    proof: { timeoutS: number; memoryMb: number };
  };
  engine: { ruleBudgetMs: number; sampleEvery: number; quarantineAfter: number; maxCorrelationGroups: number; placeholders: Record<string, string[]> };
  sensors: SensorsConfig;
  /** Exec prevention: an exec is denied when a detection with one of these tags matches it. */
  prevention: { denyTags: string[] };
  alerts: { output: string | null; spool: SpoolConfig };
  server: { url?: string; ca?: string; uploadBatch: number; uploadIntervalMs: number; maxBackoffMs: number };
  status: { file: string; intervalS: number };
  /** `idle`: V8's helper threads (GC, compilation) get only CPU time no other task wants (docs/sensors.md). */
  scheduling: { helperThreads: HelperThreadsPolicy };
};

export const helperThreadsPolicies = ['idle', 'normal'] as const;
export type HelperThreadsPolicy = (typeof helperThreadsPolicies)[number];

export type ConfigDefaults = { stateDir: string; hostName: string };

/** Trees whose changes the starter content looks at; a whole-disk watch would cost more than it shows. */
export const defaultFilePrefixes = ['/etc', '/root', '/home', '/tmp', '/var/tmp', '/dev/shm', '/var/spool/cron', '/usr/lib/systemd/system', '/lib/systemd/system', '/usr/local/bin'];

export function defaultAgentConfig(defaults: ConfigDefaults): AgentConfig {
  const result = readAgentConfig(createReader({}, '(defaults)'), defaults);
  if (!result.ok) throw new Error('the built-in defaults do not validate (a bug)');
  return result.value;
}

export function parseAgentConfig(text: string, file: string, defaults: ConfigDefaults): AgentResult<AgentConfig> {
  const parsed = parseConfigText(text, file);
  if (!parsed.ok) return parsed;
  return readAgentConfig(parsed.reader, defaults);
}

const top = ['host', 'stateDir', 'content', 'engine', 'sensors', 'prevention', 'alerts', 'server', 'status', 'scheduling'];

function readAgentConfig(r: ConfigReader, defaults: ConfigDefaults): AgentResult<AgentConfig> {
  r.onlyKeys([], top);
  r.onlyKeys(['host'], ['name', 'tags']);
  const stateDir = r.string(['stateDir'], defaults.stateDir);
  if (absolutePath(stateDir) !== undefined && stateDir !== defaults.stateDir) r.problem(['stateDir'], absolutePath(stateDir)!);

  r.onlyKeys(['content'], ['store', 'pack', 'repository', 'rootFile', 'pollIntervalS', 'crashLoop', 'proof']);
  r.onlyKeys(['content', 'crashLoop'], ['maxStarts', 'windowMinutes', 'probationMinutes']);
  r.onlyKeys(['content', 'proof'], ['timeoutS', 'memoryMb']);
  const repository = r.optionalString(['content', 'repository']);
  if (repository !== undefined && !isUrl(repository)) r.problem(['content', 'repository'], `expected an http(s) URL, got "${repository}"`);
  const rootFile = r.optionalString(['content', 'rootFile']);

  r.onlyKeys(['engine'], ['ruleBudgetMs', 'sampleEvery', 'quarantineAfter', 'maxCorrelationGroups', 'placeholders']);
  const placeholders = readPlaceholders(r);

  r.onlyKeys(['prevention'], ['denyTags']);
  r.onlyKeys(['alerts'], ['output', 'spool']);
  r.onlyKeys(['alerts', 'spool'], ['maxMb', 'segmentKb', 'fsync', 'fsyncIntervalMs']);
  const output = r.get(['alerts', 'output']) === null ? null : r.string(['alerts', 'output'], '-');
  r.onlyKeys(['server'], ['url', 'ca', 'uploadBatch', 'uploadIntervalMs', 'maxBackoffMs']);
  const url = r.optionalString(['server', 'url']);
  if (url !== undefined && !isUrl(url)) r.problem(['server', 'url'], `expected an http(s) URL, got "${url}"`);
  const ca = r.optionalString(['server', 'ca']);
  r.onlyKeys(['status'], ['file', 'intervalS']);
  r.onlyKeys(['scheduling'], ['helperThreads']);

  const config: AgentConfig = {
    host: { name: r.string(['host', 'name'], defaults.hostName), tags: r.strings(['host', 'tags'], []) },
    stateDir,
    content: {
      store: r.string(['content', 'store'], join(stateDir, 'content')),
      pack: r.string(['content', 'pack'], 'ring3-starter'),
      ...(repository === undefined ? {} : { repository }),
      ...(rootFile === undefined ? {} : { rootFile }),
      pollIntervalS: r.number(['content', 'pollIntervalS'], 900, { min: 10, max: 7 * 86400 }),
      crashLoop: {
        maxStarts: r.number(['content', 'crashLoop', 'maxStarts'], 3, { min: 2, max: 100, integer: true }),
        windowMinutes: r.number(['content', 'crashLoop', 'windowMinutes'], 10, { min: 1, max: 1440 }),
        probationMinutes: r.number(['content', 'crashLoop', 'probationMinutes'], 30, { min: 1, max: 10080 }),
      },
      proof: {
        timeoutS: r.number(['content', 'proof', 'timeoutS'], 120, { min: 1, max: 3600 }),
        memoryMb: r.number(['content', 'proof', 'memoryMb'], 256, { min: 32, max: 8192, integer: true }),
      },
    },
    engine: {
      ruleBudgetMs: r.number(['engine', 'ruleBudgetMs'], 2, { min: 0, max: 10_000 }),
      sampleEvery: r.number(['engine', 'sampleEvery'], 128, { min: 1, max: 1_000_000, integer: true }),
      quarantineAfter: r.number(['engine', 'quarantineAfter'], 3, { min: 1, max: 1000, integer: true }),
      maxCorrelationGroups: r.number(['engine', 'maxCorrelationGroups'], 100_000, { min: 1, max: 10_000_000, integer: true }),
      placeholders,
    },
    sensors: readSensors(r, defaults),
    prevention: { denyTags: r.strings(['prevention', 'denyTags'], ['ring3.prevent']) },
    alerts: {
      output,
      spool: {
        maxMb: r.number(['alerts', 'spool', 'maxMb'], 64, { min: 0.01, max: 100_000 }),
        segmentKb: r.number(['alerts', 'spool', 'segmentKb'], 1024, { min: 1, max: 1_048_576 }),
        fsync: r.oneOf(['alerts', 'spool', 'fsync'], fsyncPolicies, 'interval'),
        fsyncIntervalMs: r.number(['alerts', 'spool', 'fsyncIntervalMs'], 1000, { min: 1, max: 3_600_000, integer: true }),
      },
    },
    server: {
      ...(url === undefined ? {} : { url }),
      ...(ca === undefined ? {} : { ca }),
      uploadBatch: r.number(['server', 'uploadBatch'], 500, { min: 1, max: 1000, integer: true }),
      uploadIntervalMs: r.number(['server', 'uploadIntervalMs'], 2000, { min: 10, max: 3_600_000, integer: true }),
      maxBackoffMs: r.number(['server', 'maxBackoffMs'], 60_000, { min: 10, max: 3_600_000, integer: true }),
    },
    status: {
      file: r.string(['status', 'file'], join(stateDir, 'status.json')),
      intervalS: r.number(['status', 'intervalS'], 5, { min: 0.05, max: 3600 }),
    },
    scheduling: { helperThreads: r.oneOf(['scheduling', 'helperThreads'], helperThreadsPolicies, 'idle') },
  };
  return r.problems.length > 0 ? { ok: false, diagnostics: [...r.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) } : { ok: true, value: config };
}

const modes: readonly SensorMode[] = ['auto', 'kernel', 'fallback'];

function readSensors(r: ConfigReader, defaults: ConfigDefaults): SensorsConfig {
  const s = ['sensors'] as const;
  r.onlyKeys(s, ['process', 'file', 'network', 'execPermission', 'replay', 'audit']);
  r.onlyKeys([...s, 'audit'], ['enabled', 'mode', 'holdMs']);
  r.onlyKeys([...s, 'process'], ['enabled', 'mode', 'pollIntervalMs', 'emitTerminations', 'exitedTtlMs', 'scheduling']);
  r.onlyKeys([...s, 'file'], ['enabled', 'mode', 'mounts', 'prefixes']);
  r.onlyKeys([...s, 'network'], ['enabled', 'mode', 'intervalMs']);
  r.onlyKeys([...s, 'execPermission'], ['enabled', 'mounts', 'deadlineMs']);
  r.onlyKeys([...s, 'replay'], ['files']);
  const hostName = r.string(['host', 'name'], defaults.hostName);
  const config: SensorsConfig = {
    hostName,
    process: {
      enabled: r.boolean([...s, 'process', 'enabled'], true),
      mode: r.oneOf([...s, 'process', 'mode'], modes, 'auto'),
      pollIntervalMs: r.number([...s, 'process', 'pollIntervalMs'], 250, { min: 10, max: 60_000, integer: true }),
      emitTerminations: r.boolean([...s, 'process', 'emitTerminations'], false),
      exitedTtlMs: r.number([...s, 'process', 'exitedTtlMs'], 60_000, { min: 1000, max: 3_600_000, integer: true }),
      scheduling: r.oneOf([...s, 'process', 'scheduling'], ['realtime', 'nice'] as const, 'realtime'),
    },
    file: {
      enabled: r.boolean([...s, 'file', 'enabled'], true),
      mode: r.oneOf([...s, 'file', 'mode'], modes, 'auto'),
      mounts: r.strings([...s, 'file', 'mounts'], ['/'], absolutePath),
      prefixes: r.strings([...s, 'file', 'prefixes'], defaultFilePrefixes, absolutePath),
    },
    network: {
      enabled: r.boolean([...s, 'network', 'enabled'], true),
      mode: r.oneOf([...s, 'network', 'mode'], modes, 'auto'),
      intervalMs: r.number([...s, 'network', 'intervalMs'], 1000, { min: 50, max: 600_000, integer: true }),
    },
    audit: {
      enabled: r.boolean([...s, 'audit', 'enabled'], true),
      mode: r.oneOf([...s, 'audit', 'mode'], ['supplement', 'events'] as const, 'supplement'),
      holdMs: r.number([...s, 'audit', 'holdMs'], 1000, { min: 0, max: 5000, integer: true }),
    },
    execPermission: {
      enabled: r.boolean([...s, 'execPermission', 'enabled'], false),
      mounts: r.strings([...s, 'execPermission', 'mounts'], ['/tmp'], absolutePath),
      deadlineMs: r.number([...s, 'execPermission', 'deadlineMs'], 250, { min: 1, max: 5000, integer: true }),
    },
  };
  if (r.get([...s, 'file', 'mounts']) !== undefined && config.file!.mounts.length === 0) r.problem([...s, 'file', 'mounts'], 'expected at least one mount (or set enabled: false)');
  const replay = r.get([...s, 'replay']);
  if (replay !== undefined && replay !== null) {
    const files = r.strings([...s, 'replay', 'files'], []);
    if (files.length === 0) r.problem([...s, 'replay', 'files'], 'expected a list of JSON Lines files');
    config.replay = { files };
  }
  return config;
}

function readPlaceholders(r: ConfigReader): Record<string, string[]> {
  const value = r.get(['engine', 'placeholders']);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) { r.problem(['engine', 'placeholders'], 'expected a mapping of placeholder name to a list of values'); return {}; }
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(value)) out[name] = r.strings(['engine', 'placeholders', name], []);
  return out;
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
