// Benchmark of the control plane: how large a fleet one server sustains with p99 < 100 ms.
// Each simulated agent heartbeats every 60 s (request rate = agents / 60 per second) and one agent
// in ten also uploads a batch of 3 alerts per interval. The server runs in this process on a fresh
// store (SQLite, then PostgreSQL when RING3_BENCH_PG_URL or RING3_TEST_PG_URL is set); the load
// comes from a child process over loopback HTTP (raw keep-alive sockets, bench/lib/raw-http.ts: a
// Node http client cost as much CPU as the server it measured), open-loop (requests leave on
// schedule whether or not earlier ones answered; latency counts from the scheduled time, so a
// stalled server cannot hide its queue). Fleet sizes grow in steps of ~12 s until a size fails twice (p99 >= 100 ms,
// failed requests, or under 95 % of the rate); before its step each agent calls once, unmeasured,
// as in steady state, where the server has seen every agent within the last interval.
// Prints one JSON line per store: the largest fleet sustained, its p99, the server's CPU and RSS,
// its event-loop delay, the step that stopped the search, and the 1-minute load average before
// and after (the machine is shared). On standard error, one line per step, with the event-loop
// delay percentiles (perf_hooks.monitorEventLoopDelay), the grouped writes as the server's
// metrics saw them (count, rows per write, write time), the CPU of each of the server's threads
// (main, SQLite writer and checkpointer, V8's GC helpers) and of the load generator.
// RING3_BENCH_FLEETS=100000 runs one size; RING3_BENCH_STEP_MS sets the step length;
// RING3_BENCH_CPU_PROFILE=dir writes a CPU profile of the server's main thread per step.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { pino } from 'pino';
import { issueSecret } from '../src/server/auth/secrets.ts';
import { startServer, type RunningServer, type Store } from '../src/server/index.ts';
import { openStore } from '../src/server/storage/open-store.ts';
import { serverModules } from '../src/server/modules.ts';
import { createRawHttpClient, type RawHttpClient } from './lib/raw-http.ts';
import { quantileAtMost, scrape, writeBatches } from './lib/server-metrics.ts';

const intervalS = 60;
const alertShare = 0.1;
const stepMs = Number(process.env.RING3_BENCH_STEP_MS ?? 12_000);
const warmupMs = 2_000;
const fleetSteps = (process.env.RING3_BENCH_FLEETS ?? '25000,50000,100000,150000,200000,250000,300000,400000').split(',').map(Number);
const p99LimitMs = 100;

type StepResult = { generator_late_p99_ms: number; generator_cpu_pct: number; sent: number; ok: number; failed: number; p50_ms: number; p99_ms: number; achieved_per_s: number; target_per_s: number };
type StepMessage = { kind: 'step'; url: string; fleet: number; durationMs: number; warmupMs: number } | { kind: 'warm'; url: string; fleet: number };

if (process.argv.includes('--load-generator')) await runLoadGenerator(process.argv[process.argv.indexOf('--load-generator') + 1]!);
else await runBenchmark();

async function runBenchmark(): Promise<void> {
  const pgUrl = process.env.RING3_BENCH_PG_URL ?? process.env.RING3_TEST_PG_URL;
  const stores: { name: 'sqlite' | 'postgres'; locator: (dir: string) => Promise<string> }[] = [{ name: 'sqlite', locator: async (dir) => join(dir, 'bench.db') }];
  if (pgUrl) stores.push({ name: 'postgres', locator: () => benchSchemaUrl(pgUrl) });
  else process.stderr.write('bench:server: PostgreSQL skipped (set RING3_BENCH_PG_URL or RING3_TEST_PG_URL)\n');
  const machine = { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', mem_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  for (const target of stores) {
    const dir = mkdtempSync(join(os.tmpdir(), 'ring3-bench-'));
    try {
      const loadBefore = os.loadavg();
      const { best, stoppedAt } = await benchStore(target.name, await target.locator(dir), dir);
      // The machine is shared: the neighbours' load (1-minute average, before and after) says how
      // much of the two cores the run had.
      const load = { load_avg_1m_before: Math.round(loadBefore[0]! * 100) / 100, load_avg_1m_after: Math.round(os.loadavg()[0]! * 100) / 100 };
      process.stdout.write(`${JSON.stringify({
        name: 'server_fleet_sustained', store: target.name, agents: best?.fleet ?? 0, target_agents: 100_000,
        heartbeats_per_s: best === undefined ? 0 : Math.round(best.fleet / intervalS), requests_per_s: best?.result.achieved_per_s ?? 0,
        p50_ms: best?.result.p50_ms ?? null, p99_ms: best?.result.p99_ms ?? null, cpu_pct: best?.cpu_pct ?? null, rss_mb: best?.rss_mb ?? null, ...best?.db,
        loop_p99_ms: best?.loop.loop_p99_ms ?? null, loop_max_ms: best?.loop.loop_max_ms ?? null, stopped_at: stoppedAt ?? null,
        step_s: stepMs / 1000, ...load, machine,
      })}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function benchStore(storeName: string, locator: string, dir: string) {
  const maxFleet = Math.max(...fleetSteps);
  const credentialsFile = join(dir, 'credentials.txt');
  await enrollFleet(locator, maxFleet, credentialsFile);
  const started = await startServer({ db: locator, dataDir: dir, host: '127.0.0.1', port: 0 }, { now: Date.now, logger: pino({ level: 'error' }) });
  if (started.kind !== 'ok') throw new Error(started.message);
  const server: RunningServer = started.server;
  const adminToken = server.createdAdminToken!;
  const child = fork(import.meta.filename, ['--load-generator', credentialsFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let failedOnce: number | undefined;
  let best: { fleet: number; result: StepResult; cpu_pct: number; rss_mb: number; db: Record<string, number>; loop: Record<string, number> } | undefined;
  let stoppedAt: { agents: number; p99_ms: number; loop_max_ms: number; achieved_per_s: number; failed: number } | undefined;
  try {
    // A step that fails is run once more before the search stops: on a shared machine a
    // neighbour's burst can spoil one step; a fleet that is really too large fails twice.
    for (const fleet of fleetSteps.flatMap((size) => [size, size])) {
      if (best !== undefined && best.fleet >= fleet) continue;
      // Steady state: every agent of the fleet has called within the last interval, so the server
      // has verified its credential before. Agents new to this step call once, unmeasured.
      await new Promise((resolve) => {
        child.once('message', resolve);
        child.send({ kind: 'warm', url: server.url, fleet } satisfies StepMessage);
      });
      const loadAvg = os.loadavg().map((n) => Math.round(n * 100) / 100);
      const metricsBefore = await scrape(server.url, adminToken);
      const loop = monitorEventLoopDelay({ resolution: 2 });
      loop.enable();
      const profiler = await startProfile();
      const cpuBefore = process.cpuUsage();
      const threadsBefore = threadCpuMs();
      const dbCpuBefore = postgresCpuMs();
      const wallBefore = performance.now();
      const result = await new Promise<StepResult>((resolve) => {
        child.once('message', (message) => resolve(message as StepResult));
        child.send({ kind: 'step', url: server.url, fleet, durationMs: stepMs, warmupMs } satisfies StepMessage);
      });
      const cpu = process.cpuUsage(cpuBefore);
      await profiler?.stop(`server-${storeName}-${fleet}`);
      const cpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 1000) / 10;
      const threads: Record<string, number> = {};
      for (const [name, ms] of cpuByName(threadsBefore, threadCpuMs())) threads[name] = Math.round((ms / (performance.now() - wallBefore)) * 1000) / 10;
      const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      const dbCpu: Record<string, number> = storeName === 'postgres' ? { postgres_cpu_pct: Math.round((cpuSpentMs(dbCpuBefore, postgresCpuMs()) / (performance.now() - wallBefore)) * 1000) / 10 } : {};
      loop.disable();
      // Event-loop delay: how long the server's main thread could not answer anything.
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      const loopMs = { loop_p50_ms: ms(loop.percentile(50)), loop_p99_ms: ms(loop.percentile(99)), loop_p999_ms: ms(loop.percentile(99.9)), loop_max_ms: ms(loop.max) };
      const metricsAfter = await scrape(server.url, adminToken);
      const serverSide = {
        server_p99_ms_at_most: quantileAtMost(metricsBefore, metricsAfter, 'ring3_http_request_duration_seconds', { method: 'POST', route: '/v1/agents/heartbeat', status: '200' }, 0.99),
        heartbeat_writes: writeBatches(metricsBefore, metricsAfter, 'heartbeats'),
        alert_writes: writeBatches(metricsBefore, metricsAfter, 'alerts'),
      };
      const sustained = result.p99_ms < p99LimitMs && result.failed <= result.sent * 0.001 && result.achieved_per_s >= result.target_per_s * 0.95;
      process.stderr.write(`bench:server ${storeName} fleet=${fleet} ${JSON.stringify({ ...result, ...serverSide, ...loopMs, cpu_pct: cpuPct, thread_cpu_pct: threads, ...dbCpu, rss_mb: rssMb, load_avg: loadAvg, sustained })}\n`);
      if (!sustained) {
        if (failedOnce === fleet) {
          stoppedAt = { agents: fleet, p99_ms: result.p99_ms, loop_max_ms: loopMs.loop_max_ms, achieved_per_s: result.achieved_per_s, failed: result.failed };
          break;
        }
        failedOnce = fleet;
        continue;
      }
      best = { fleet, result, cpu_pct: cpuPct, rss_mb: rssMb, db: dbCpu, loop: loopMs };
    }
  } finally {
    child.kill();
    await server.stop();
  }
  return { best, stoppedAt };
}

/**
 * RING3_BENCH_CPU_PROFILE=dir: a V8 CPU profile of the server (main thread) per step, for Chrome's
 * DevTools or a script; only the measured step, not the enrollment and warm-up before it.
 */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const dir = process.env.RING3_BENCH_CPU_PROFILE;
  if (dir === undefined || dir === '') return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CPU time (ms) of each local PostgreSQL process by pid (a local database shares the cores with the server). */
function postgresCpuMs(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return byPid;
}

/** CPU time (ms) of each of this process's threads, by tid, with its name (V8Worker: GC helpers). */
function threadCpuMs(): Map<string, { name: string; ms: number }> {
  const byTid = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byTid.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return byTid;
}

function cpuByName(before: Map<string, { name: string; ms: number }>, after: Map<string, { name: string; ms: number }>): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [tid, { name, ms }] of after) {
    const spent = ms - (before.get(tid)?.ms ?? 0);
    if (spent > 0) byName.set(name, (byName.get(name) ?? 0) + spent);
  }
  return byName;
}

/** CPU used between two snapshots by the processes alive at the end (a process that exited is not counted). */
function cpuSpentMs(before: Map<string, number>, after: Map<string, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

/** Enrolls the whole fleet straight into the store (enrolling 200k agents over HTTP is not what is measured). */
async function enrollFleet(locator: string, count: number, credentialsFile: string): Promise<void> {
  const opened = await openStore(locator, { migrations: serverModules().flatMap((m) => m.migrations) });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  const store: Store = opened.store;
  const lines: string[] = [];
  const now = Date.now();
  for (let start = 0; start < count; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 2000); i++) {
      const credential = issueSecret('host');
      lines.push(credential.text);
      rows.push({ id: credential.id, hostname: `bench-${i}`, tags: i % 100 === 0 ? '["internal"]' : '[]', credential_hash: credential.hash, enrollment_token_id: null, enrolled_at: now, revoked_at: null });
    }
    await store.db.insertInto('hosts').values(rows).execute();
  }
  await store.close();
  writeFileSync(credentialsFile, lines.join('\n'));
}

/** The bench's own schema in the given database, emptied first; nothing else there is touched. */
async function benchSchemaUrl(url: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('DROP SCHEMA IF EXISTS ring3_bench CASCADE; CREATE SCHEMA ring3_bench');
  await client.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', '-c search_path=ring3_bench');
  return scoped.toString();
}

// ---- the load generator (child process) ----

async function runLoadGenerator(credentialsFile: string): Promise<void> {
  const credentials = readFileSync(credentialsFile, 'utf8').split('\n');
  const seqs = new Uint32Array(credentials.length);
  const bootId = `bench-${process.pid}`;
  let alertCounter = 0;
  let client: RawHttpClient | undefined;
  let warmed = 0;
  process.on('message', async (message: StepMessage) => {
    const url = new URL(message.url);
    client ??= createRawHttpClient(url.hostname, Number(url.port), 512, 10_000);
    const post = (path: string, credential: string, body: string) => client!.post(path, `authorization: Bearer ${credential}\r\n`, body);
    if (message.kind === 'warm') {
      const next = () => (warmed < message.fleet ? warmed++ : undefined);
      await Promise.all(Array.from({ length: 32 }, async () => {
        for (let host = next(); host !== undefined; host = next()) {
          await post('/v1/agents/heartbeat', credentials[host]!, heartbeatBody(bootId, ++seqs[host]!));
        }
      }));
      process.send!({ warmed });
      return;
    }
    const heartbeatsPerS = message.fleet / intervalS;
    const perS = heartbeatsPerS * (1 + alertShare);
    const total = Math.floor((perS * message.durationMs) / 1000);
    const latencies: number[] = [];
    // How late the generator itself sent (a starved CPU): charged to latency, reported on its own.
    const lateness: number[] = [];
    let sent = 0; let ok = 0; let failed = 0;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    const measureFrom = startedAt + message.warmupMs;
    const pending: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const due = startedAt + (k * 1000) / perS;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const host = Math.floor(Math.random() * message.fleet);
      const isAlert = Math.random() < alertShare / (1 + alertShare);
      const body = isAlert ? alertBody(alertCounter++) : heartbeatBody(bootId, ++seqs[host]!);
      const counted = due >= measureFrom;
      if (counted) {
        sent++;
        lateness.push(performance.now() - due);
      }
      pending.push(post(isAlert ? '/v1/agents/alerts' : '/v1/agents/heartbeat', credentials[host]!, body).then((status) => {
        if (!counted) return;
        if (status >= 200 && status < 300) { ok++; latencies.push(performance.now() - due); } else failed++;
      }));
    }
    await Promise.all(pending);
    const cpu = process.cpuUsage(cpuBefore);
    const generatorCpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - startedAt)) * 1000) / 10;
    const elapsedS = (performance.now() - measureFrom) / 1000;
    const pctOf = (values: number[], p: number) => {
      values.sort((a, b) => a - b);
      return Math.round((values[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0) * 10) / 10;
    };
    const pct = (p: number) => pctOf(latencies, p);
    const result: StepResult = { generator_late_p99_ms: pctOf(lateness, 0.99), generator_cpu_pct: generatorCpuPct, sent, ok, failed, p50_ms: pct(0.5), p99_ms: pct(0.99), achieved_per_s: Math.round(ok / elapsedS), target_per_s: Math.round(perS) };
    process.send!(result);
  });
}

function heartbeatBody(bootId: string, seq: number): string {
  return JSON.stringify({
    bootId, seq, sentAt: new Date().toISOString(), intervalS, versions: { agent: '0.1.0', content: '2025.01.01' }, ring: 3, tags: [],
    sensors: [{ name: 'proc-connector', state: 'running', eventsPerS: 40 * Math.random(), drops: 0 }, { name: 'fanotify', state: 'running', eventsPerS: 5, drops: 0 }],
    cpuPct: 2 * Math.random(), rssMb: 70 + 10 * Math.random(), engineCrashes: 0, engineRestarts: 0, quarantinedRules: [], alertCounts: { 'proc-shell': 1 },
  });
}

function alertBody(n: number): string {
  const alerts = [0, 1, 2].map((i) => ({
    id: `bench-${process.pid}-${n}-${i}`, ruleId: 'proc-shell', ruleTitle: 'Shell spawned by a web server', level: 'high',
    time: new Date().toISOString(), contentVersion: '2025.01.01', event: { Image: '/bin/sh', CommandLine: 'sh -c id', ParentImage: '/usr/sbin/nginx', ProcessId: n },
  }));
  return JSON.stringify({ alerts });
}
