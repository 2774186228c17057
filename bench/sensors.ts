// Sensor benchmark (issue 3, item 9). One JSON line per figure, all measured in the same run:
//   (a) completeness: 10,000 short-lived processes (/bin/true and `sh -c`, distinct arguments) started
//       as fast as possible by two drivers; share captured, with the right command line, with the right
//       parent — for ring3's process sensor (this file with --agent: the sensors alone), with its reading
//       thread real-time and nice, and for auditd with an execve rule when auditd is installed.
//   (b) cost: the real `ring3 agent run` (real sensors, starter and SigmaHQ Linux rules, all threads):
//       CPU (share of one core) and RSS, idle and at a steady 1,000 execs/s (bench/lib/exec-driver.ts).
//   (c) latency: p50/p99 of spawn+exec+wait of /bin/true without agent, with the agent's sensors, with
//       exec permission on; conditions take turns in rounds, added p99 is a difference in the same run.
// The drivers are small Python scripts (posix_spawn + waitpid), cheaper per exec than Node's spawn.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SensorEvent } from '../src/events/index.ts';
import { createSensorRegistry, createSensors, type SensorsConfig } from '../src/sensors/index.ts';
import { driverSource, execAtRate, latencySamples as latencySamplesOf, percentiles, python } from './lib/exec-driver.ts';
import { machine } from './lib/machine.ts';
import { startRealAgent, type RealAgent } from './lib/ring3-agent.ts';

const processes = Number(process.env.BENCH_PROCESSES ?? 10_000);
const costWindowS = Number(process.env.BENCH_COST_SECONDS ?? 10);
const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 3000);
const latencyRounds_ = Number(process.env.BENCH_LATENCY_ROUNDS ?? 6);
// The nice -10 reader beside the real-time one (completeness and latency); BENCH_COMPARE=0 skips it.
const compare = process.env.BENCH_COMPARE !== '0';
// BENCH_PARTS: which of a (completeness), b (cost), c (latency) run; all by default.
const parts = new Set((process.env.BENCH_PARTS ?? 'a,b,c').split(','));

type ExecRecord = [pid: number, ppid: number | null, cmdline: string | null, parentImage: string | null];
type AgentRequest = { cmd: 'record' } | { cmd: 'collect' } | { cmd: 'status' };

async function runAgent(config: SensorsConfig): Promise<void> {
  let recording = false;
  const records: ExecRecord[] = [];
  const sink = (e: SensorEvent) => {
    if (recording && e.kind === 'process_creation') records.push([e.ProcessId, e.ParentProcessId ?? null, e.CommandLine ?? null, e.ParentImage ?? null]);
  };
  const built = createSensors(config, { verdict: () => 'allow' });
  if (!built.ok) throw new Error(JSON.stringify(built.diagnostics));
  const registry = createSensorRegistry(built.sensors);
  const statuses = await registry.startAll(sink);
  process.on('message', (m: AgentRequest) => {
    if (m.cmd === 'record') recording = true;
    if (m.cmd === 'collect') process.send!({ records: records.splice(0) });
    if (m.cmd === 'status') process.send!({ statuses: registry.statuses() });
  });
  process.on('disconnect', () => void registry.stopAll().then(() => process.exit(0)));
  process.send!({ ready: statuses });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ring3-bench-'));
  // Two small tmpfs: the exec permission agent marks `work` only, so a copy of /bin/true on each
  // measures sensors and exec permission in the same agent, sample by sample.
  const unmarked = join(work, 'unmarked');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'ring3-bench', work]);
  mkdirSync(unmarked);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'ring3-bench2', unmarked]);
  const trueMarked = join(work, 'true');
  const trueUnmarked = join(unmarked, 'true');
  const driver = join(work, 'driver.py');
  const agentsDir = mkdtempSync(join(tmpdir(), 'ring3-bench-agents-'));
  const compileCache = join(agentsDir, 'node-compile-cache');
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  // As the agent's defaults: the audit reader is on (it reads nothing while kernel audit is off).
  const sensors: SensorsConfig = { process: {}, network: {}, file: { mounts: [work] }, audit: {} };
  try {
    for (const copy of [trueMarked, trueUnmarked]) {
      copyFileSync('/bin/true', copy);
      chmodSync(copy, 0o755);
    }
    writeFileSync(driver, driverSource);
    print({ name: 'machine', ...machine(), load_avg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) });

    // (a) completeness, the sensors alone (this file with --agent), with the connector's reading
    // thread real-time (the default) and, for comparison, nice -10.
    for (const scheduling of ['realtime', 'nice'] as const) {
      if ((scheduling === 'nice' && !compare) || !parts.has('a')) continue;
      const agent = await startAgent({ ...sensors, process: { scheduling } });
      if (scheduling === 'realtime') print({ name: 'sensors.agent', statuses: agent.ready.map((s) => ({ name: s.name, state: s.state, source: s.source })) });
      agent.child.send({ cmd: 'record' });
      const burst = await runBurst(driver, `r3${scheduling[0]}`);
      await sleep(1000);
      const records = (await agent.ask({ cmd: 'collect' })).records as ExecRecord[];
      const status = (await agent.ask({ cmd: 'status' })).statuses as { name: string; drops: number }[];
      print({ name: 'sensors.completeness', agent: 'ring3', reader: scheduling, ...score(records, burst), drops: status.find((s) => s.name === 'process')?.drops ?? 0, targets_pct: { captured: 99.9, command_line: 99, parent: 99 } });
      await stopAgent(agent);
    }

    // (b) cost of the real \`ring3 agent run\` (all its threads), per rule set, idle and at 1,000 execs/s.
    if (parts.has('b')) for (const line of await agentCost(driver, agentsDir, compileCache)) print(line);
    if (!parts.has('c')) return;

    // (c) latency, in rounds: no agent, the agent (sensors + exec permission on \`work\`), and, to judge
    // the reading thread's real-time priority, the agent with a nice -10 reader.
    const latency = await latencyRounds(driver, agentsDir, compileCache, work, [trueUnmarked, trueMarked]);
    for (const line of latency.lines) print(line);

    // auditd, side by side
    if (!existsSync('/sbin/auditd') || !existsSync('/sbin/auditctl')) {
      print({ name: 'sensors.completeness', agent: 'auditd', skipped: 'auditd is not installed (Debian package "auditd")' });
    } else {
      for (const line of await underAuditd(driver, trueUnmarked, latency.baseP99Ms)) print(line);
    }
  } finally {
    execFileSync('umount', ['-l', unmarked]);
    execFileSync('umount', ['-l', work]);
    rmSync(work, { recursive: true, force: true });
    rmSync(agentsDir, { recursive: true, force: true });
  }
}

const ruleSets = [
  { rules: 'starter', path: fileURLToPath(new URL('../content/starter/rules', import.meta.url)) },
  { rules: 'sigma_linux', path: '/work/shared/sigma/rules/linux' },
].filter((r) => existsSync(r.path) && (process.env.BENCH_RULE_SETS ?? 'starter,sigma_linux').split(',').includes(r.rules));

async function agentCost(driver: string, agentsDir: string, compileCache: string): Promise<object[]> {
  const lines: object[] = [];
  const targets = { cpu_pct_max_idle: 1, rss_mb_max: 150 };
  // The first start ever (no compile cache yet) fills the cache; the operator's every start after.
  const first = await startRealAgent({ dir: join(agentsDir, 'first'), rules: ruleSets[0]!.path, compileCache });
  await sleep(2000);
  lines.push({ name: 'sensors.cost', agent: 'ring3 agent run', rules: ruleSets[0]!.rules, load: 'first_start', node_compile_cache: 'cold', ...(await cost(first.pid, first, () => sleep(2000))), window_s: 2, targets });
  await first.stop();
  // Rule sets can need code the first one did not load: one start each fills the cache, as the
  // operator's first start with those rules would.
  for (const set of ruleSets.slice(1)) await (await startRealAgent({ dir: join(agentsDir, `warm-${set.rules}`), rules: set.path, compileCache })).stop();
  for (const set of ruleSets) {
    const agent = await startRealAgent({ dir: join(agentsDir, set.rules), rules: set.path, compileCache });
    await sleep(2000);
    const idle = await cost(agent.pid, agent, () => sleep(costWindowS * 1000));
    lines.push({ name: 'sensors.cost', agent: 'ring3 agent run', rules: set.rules, rules_loaded: agent.status().rules.loaded, load: 'idle', node_compile_cache: 'warm', ...idle, window_s: costWindowS, targets });
    let achieved = 0;
    const loaded = await cost(agent.pid, agent, async () => { achieved = await execAtRate(driver, 1000, costWindowS); });
    const drops = agent.status().sensors.reduce((n, s) => n + s.drops, 0);
    lines.push({ name: 'sensors.cost', agent: 'ring3 agent run', rules: set.rules, load: '1000_execs_per_s', node_compile_cache: 'warm', achieved_execs_per_s: Math.round(achieved), ...loaded, drops, window_s: costWindowS, targets: { cpu_pct_max_note: 'no target under load', rss_mb_max: 150 } });
    await agent.stop();
  }
  return lines;
}

// A prevention rule (ours) that never matches: with it loaded, every exec on the marked mount takes
// the full round trip (worker → main thread's engine → worker); without one the worker allows at once.
const preventionRule = `title: ring3 bench prevention rule
id: 5b0d7f4e-1b7a-4c1e-9a51-2f7f3c9d0b11
status: test
description: never matches; makes exec permission ask the engine
logsource: { product: linux, category: process_creation }
detection:
  selection:
    Image|endswith: /ring3-bench-never-runs
  condition: selection
tags: [ring3.prevent]
level: high
`;

async function latencyRounds(driver: string, agentsDir: string, compileCache: string, marked: string, binaries: [unmarked: string, marked: string]) {
  const rulesFile = join(agentsDir, 'prevention-rule.yml');
  writeFileSync(rulesFile, preventionRule);
  // condition → [reader scheduling, with the prevention rule]
  const agents: Record<string, ['realtime' | 'nice', boolean]> = { agent: ['realtime', false], agent_prevention_rule: ['realtime', true], ...(compare ? { agent_nice_reader: ['nice', false] } : {}) };
  const conditions = ['no_agent', ...Object.keys(agents)];
  const pooled = new Map<string, number[][]>(conditions.map((c) => [c, [[], []]]));
  // p99 per round and condition: the median over rounds of (condition − no agent) resists a round
  // that other load on the host spoiled.
  const roundP99 = new Map<string, number[][]>(conditions.map((c) => [c, [[], []]]));
  const perRound = Math.ceil(latencySamples / latencyRounds_);
  // The exec permission worker's own count of how long execs waited for it (its status counters).
  const waits = new Map<string, { requests: number; waits_over_1ms: number; wait_max_ms: number }>();
  for (let r = 0; r < latencyRounds_; r += 1) {
    for (const condition of conditions) {
      const how = agents[condition];
      const agent = how === undefined ? undefined : await startRealAgent({
        dir: join(agentsDir, `latency-${condition}`), rules: ruleSets[0]!.path, ...(how[1] ? { moreRules: [rulesFile] } : {}), compileCache,
        sensorsYaml: `{ process: { scheduling: ${how[0]} }, execPermission: { enabled: true, mounts: [${marked}] } }`,
      });
      const samples = await latencySamplesOf(driver, perRound, binaries);
      samples.forEach((s, i) => {
        pooled.get(condition)![i]!.push(...s);
        roundP99.get(condition)![i]!.push(percentiles(s).p99_ms);
      });
      if (agent) {
        await sleep(1100);
        const counters = agent.status().sensors.find((x) => x.name === 'exec-permission')?.counters ?? {};
        const w = waits.get(condition) ?? { requests: 0, waits_over_1ms: 0, wait_max_ms: 0 };
        waits.set(condition, { requests: w.requests + (counters['requests'] ?? 0), waits_over_1ms: w.waits_over_1ms + (counters['waits_over_1ms'] ?? 0), wait_max_ms: Math.max(w.wait_max_ms, counters['wait_max_ms'] ?? 0) });
        await agent.stop();
      }
    }
  }
  const base = pooled.get('no_agent')!.map(percentiles);
  const lines: object[] = [{ name: 'sensors.latency', mode: 'no_agent', ...base[0], samples: pooled.get('no_agent')![0]!.length, rounds: latencyRounds_ }];
  const modes: [string, string, number][] = [
    ['sensors', 'agent', 0], ['exec_permission', 'agent', 1], ['exec_permission_with_prevention_rule', 'agent_prevention_rule', 1],
    ...(compare ? [['sensors_nice_reader', 'agent_nice_reader', 0], ['exec_permission_nice_reader', 'agent_nice_reader', 1]] as [string, string, number][] : []),
  ];
  for (const [mode, condition, binary] of modes) {
    const samples = pooled.get(condition)![binary]!;
    const l = percentiles(samples);
    lines.push({
      name: 'sensors.latency', mode, ...l, samples: samples.length, rounds: latencyRounds_,
      added_p50_ms: round(l.p50_ms - base[binary]!.p50_ms), added_p99_ms: round(l.p99_ms - base[binary]!.p99_ms),
      added_p99_ms_median_of_rounds: round(median(roundP99.get(condition)![binary]!.map((p, r) => p - roundP99.get('no_agent')![binary]![r]!))), target_added_p99_ms: 1,
      ...(binary === 1 ? { worker_waits: waits.get(condition) } : {}),
    });
  }
  return { lines, baseP99Ms: base[0]!.p99_ms };
}

type Burst = { driverPids: number[]; expected: Set<string>; seconds: number };

async function runBurst(driver: string, marker: string): Promise<Burst> {
  const half = Math.floor(processes / 2);
  const started = performance.now();
  const drivers = [0, 1].map((k) => spawn(python, [driver, 'burst', String(k * half), String(k === 0 ? half : processes), `${marker}${process.pid}`], { stdio: 'ignore' }));
  await Promise.all(drivers.map((d) => new Promise((r) => d.once('exit', r))));
  const expected = new Set<string>();
  for (let i = 0; i < processes; i += 1) {
    const tag = `${marker}${process.pid}-${i}`;
    expected.add(i % 2 === 0 ? `/bin/true ${tag}` : `/bin/sh -c : ${tag}`);
  }
  return { driverPids: drivers.map((d) => d.pid!), expected, seconds: (performance.now() - started) / 1000 };
}

function score(records: ExecRecord[], burst: Burst) {
  const drivers = new Set(burst.driverPids);
  const mine = records.filter(([, ppid]) => ppid !== null && drivers.has(ppid));
  const captured = new Set(mine.map(([pid]) => pid)).size;
  const commandLines = new Set(records.map(([, , cmd]) => cmd).filter((c): c is string => c !== null && burst.expected.has(c))).size;
  const parents = mine.filter(([, , , image]) => image !== null && image.includes('python3')).length;
  const pct = (n: number) => round((100 * Math.min(n, processes)) / processes, 2);
  return {
    processes, execs_per_s: Math.round(processes / burst.seconds),
    captured_pct: pct(captured), command_line_pct: pct(commandLines), parent_pct: pct(parents),
  };
}

async function cost(pid: number, agent: RealAgent | undefined, during: () => Promise<void>) {
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const before = ticks();
  const t0 = performance.now();
  await during();
  const seconds = (performance.now() - t0) / 1000;
  const used = (ticks() - before) / 100;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => round(Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024, 1);
  // Where the RSS is: anonymous (heaps of all isolates, malloc) vs file pages (the node binary's code,
  // shared with every node process); the main thread's V8 heap and external memory from the agent.
  const memory = agent?.status().memory;
  return {
    cpu_pct: round((100 * used) / seconds, 2), rss_mb: mb('VmRSS'), peak_rss_mb: mb('VmHWM'), rss_anon_mb: mb('RssAnon'), rss_file_mb: mb('RssFile'),
    threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0),
    ...(memory ? { main_heap_used_mb: memory.heapUsedMb, main_heap_total_mb: memory.heapTotalMb, main_external_mb: memory.externalMb } : {}),
  };
}

/** auditd with one execve rule: completeness from its log, and exec latency; always restored after. */
async function underAuditd(driver: string, binary: string, baseP99: number): Promise<object[]> {
  const previous = execFileSync('/sbin/auditctl', ['-s'], { encoding: 'utf8' });
  const wasEnabled = /enabled (\d)/.exec(previous)?.[1] ?? '0';
  const backlog = /backlog_limit (\d+)/.exec(previous)?.[1] ?? '64';
  const rule = ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'execve', '-k', 'ring3bench'];
  const alreadyRunning = existsSync('/run/auditd.pid') || existsSync('/var/run/auditd.pid');
  // Our own auditd config and log, so that log rotation cannot hide records from the count.
  const confDir = mkdtempSync(join(tmpdir(), 'ring3-auditd-'));
  const log = alreadyRunning ? '/var/log/audit/audit.log' : join(confDir, 'audit.log');
  const lines: object[] = [];
  try {
    if (!alreadyRunning) {
      const conf = readFileSync('/etc/audit/auditd.conf', 'utf8')
        .replace(/^log_file\s*=.*$/m, `log_file = ${log}`)
        .replace(/^max_log_file_action\s*=.*$/m, 'max_log_file_action = IGNORE')
        .replace(/^max_log_file\s*=.*$/m, 'max_log_file = 1000');
      writeFileSync(join(confDir, 'auditd.conf'), conf, { mode: 0o640 });
      execFileSync('/sbin/auditd', ['-c', confDir]);
    }
    execFileSync('/sbin/auditctl', ['-b', '8192']);
    execFileSync('/sbin/auditctl', rule);
    await sleep(500);
    const offset = existsSync(log) ? readFileSync(log).length : 0;
    const burst = await runBurst(driver, 'r3d');
    await sleep(2000);
    const text = readFileSync(log).subarray(offset).toString('utf8');
    lines.push({ name: 'sensors.completeness', agent: 'auditd', rule: 'execve', ...score(parseAudit(text), burst), lost: Number(/lost (\d+)/.exec(execFileSync('/sbin/auditctl', ['-s'], { encoding: 'utf8' }))?.[1] ?? 0) });
    // Then ring3 with its audit supplement, on its own burst, beside auditd (read-only multicast).
    const ring3 = await startAgent({ process: {}, audit: {} });
    ring3.child.send({ cmd: 'record' });
    const ring3Burst = await runBurst(driver, 'r3e');
    await sleep(1000);
    const records = (await ring3.ask({ cmd: 'collect' })).records as ExecRecord[];
    const statuses = (await ring3.ask({ cmd: 'status' })).statuses as { name: string; drops: number; counters: Record<string, number> }[];
    const audit = statuses.find((x) => x.name === 'audit');
    lines.push({
      name: 'sensors.completeness', agent: 'ring3+audit', rule: 'execve (auditd\'s)', ...score(records, ring3Burst),
      drops: (statuses.find((x) => x.name === 'process')?.drops ?? 0) + (audit?.drops ?? 0),
      audit_filled: audit?.counters['filled'] ?? 0, audit_not_filled: audit?.counters['not_filled'] ?? 0, audit_execs: audit?.counters['audit_execs'] ?? 0,
    });
    await stopAgent(ring3);
    const l = percentiles((await latencySamplesOf(driver, latencySamples, [binary]))[0]!);
    lines.push({ name: 'sensors.latency', mode: 'auditd_execve_rule', ...l, added_p99_ms: round(l.p99_ms - baseP99, 3), samples: latencySamples, note: 'one block after the rounds, not interleaved' });
  } catch (error) {
    lines.push({ name: 'sensors.completeness', agent: 'auditd', skipped: `auditd failed: ${(error as Error).message.split('\n')[0]}` });
  } finally {
    spawnQuiet('/sbin/auditctl', ['-d', ...rule.slice(1)]);
    spawnQuiet('/sbin/auditctl', ['-b', backlog]);
    if (!alreadyRunning) {
      const pidFile = existsSync('/run/auditd.pid') ? '/run/auditd.pid' : '/var/run/auditd.pid';
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      await sleep(500);
      spawnQuiet('/sbin/auditctl', ['-e', wasEnabled]);
    }
    rmSync(confDir, { recursive: true, force: true });
  }
  return lines;
}

/** EXECVE + SYSCALL records of one event share a serial; arguments with spaces are hex-encoded. */
function parseAudit(text: string): ExecRecord[] {
  const bySerial = new Map<string, { pid?: number; ppid?: number; args?: string }>();
  for (const line of text.split('\n')) {
    const serial = /msg=audit\([\d.]+:(\d+)\)/.exec(line)?.[1];
    if (!serial) continue;
    const entry = bySerial.get(serial) ?? {};
    bySerial.set(serial, entry);
    if (line.startsWith('type=SYSCALL')) {
      entry.pid = Number(/ pid=(\d+)/.exec(line)?.[1]);
      entry.ppid = Number(/ ppid=(\d+)/.exec(line)?.[1]);
    } else if (line.startsWith('type=EXECVE')) {
      const args = [...line.matchAll(/ a\d+=("[^"]*"|[0-9A-F]+)/g)].map(([, v]) => (v!.startsWith('"') ? v!.slice(1, -1) : Buffer.from(v!, 'hex').toString()));
      entry.args = args.join(' ');
    }
  }
  // auditd records the parent's pid, not its image; the parent check is the pid, as for ring3.
  return [...bySerial.values()].filter((e) => e.pid !== undefined).map((e) => [e.pid!, e.ppid ?? null, e.args ?? null, 'python3']);
}

async function stopAgent(agent: { child: ChildProcess }): Promise<void> {
  agent.child.disconnect();
  await new Promise((r) => agent.child.once('exit', r));
}

async function startAgent(config: SensorsConfig, compileCache?: string) {
  const { NODE_COMPILE_CACHE: _none, ...env } = process.env;
  const child = fork(fileURLToPath(import.meta.url), ['--agent', JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: compileCache === undefined ? env : { ...env, NODE_COMPILE_CACHE: compileCache },
  });
  const ready = await new Promise<{ name: string; state: string; source: string }[]>((resolve) => child.once('message', (m: { ready: never }) => resolve(m.ready)));
  const ask = (request: AgentRequest) =>
    new Promise<{ [key: string]: unknown }>((resolve) => {
      child.once('message', resolve as (m: unknown) => void);
      child.send(request);
    });
  return { child: child as ChildProcess, ready, ask };
}

function spawnQuiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // Restoring state is best effort; the next step still runs.
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (n: number, digits = 3) => Number(n.toFixed(digits));


if (process.argv[2] === '--agent') await runAgent(JSON.parse(process.argv[3]!) as SensorsConfig);
else await main();
