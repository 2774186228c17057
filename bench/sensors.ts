// Sensor benchmark (issue 3, item 9). One JSON line per figure, all measured in the same run:
//   (a) completeness: 10,000 short-lived processes (/bin/true and `sh -c`, distinct arguments) started
//       as fast as possible by two drivers; share captured, with the right command line, with the right
//       parent — for ring3's process sensor, and for auditd with an execve rule when auditd is installed.
//   (b) cost: the agent process's CPU (share of one core) and RSS, idle and at a steady 1,000 execs/s.
//   (c) latency: p50/p99 of spawn+exec+wait of /bin/true without agent, with the sensors, with the exec
//       permission plumbing on (and under auditd's execve rule, when installed).
// The sensors run in a separate "agent" process (this file with --agent) so their cost is theirs alone.
// The drivers are small Python scripts (posix_spawn + waitpid), cheaper per exec than Node's spawn.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SensorEvent } from '../src/events/index.ts';
import { createSensorRegistry, createSensors, type SensorsConfig } from '../src/sensors/index.ts';
import { machine } from './lib/machine.ts';

const processes = Number(process.env.BENCH_PROCESSES ?? 10_000);
const costWindowS = Number(process.env.BENCH_COST_SECONDS ?? 10);
const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const python = '/usr/bin/python3';

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
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'ring3-bench', work]);
  const trueCopy = join(work, 'true');
  const driver = join(work, 'driver.py');
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  // As the agent's defaults: the audit reader is on (it reads nothing while kernel audit is off).
  const sensors: SensorsConfig = { process: {}, network: {}, file: { mounts: [work] }, audit: {} };
  // Node's compile cache, as the systemd unit sets it; root-owned, inside the bench's private tmpfs.
  const compileCache = join(work, 'node-compile-cache');
  try {
    copyFileSync('/bin/true', trueCopy);
    chmodSync(trueCopy, 0o755);
    writeFileSync(driver, driverSource);
    print({ name: 'machine', ...machine(), load_avg_1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) });

    // (a) completeness
    const agent = await startAgent(sensors);
    print({ name: 'sensors.agent', statuses: agent.ready.map((s) => ({ name: s.name, state: s.state, source: s.source })) });
    agent.child.send({ cmd: 'record' });
    const burst = await runBurst(driver, 'r3a');
    await sleep(1000);
    const records = (await agent.ask({ cmd: 'collect' })).records as ExecRecord[];
    const status = (await agent.ask({ cmd: 'status' })).statuses as { name: string; drops: number }[];
    print({ name: 'sensors.completeness', agent: 'ring3', ...score(records, burst), drops: status.find((s) => s.name === 'process')?.drops ?? 0, targets_pct: { captured: 99.9, command_line: 99, parent: 99 } });

    // (b) cost
    print({ name: 'sensors.cost', load: 'idle', node_compile_cache: false, ...(await cost(agent.child.pid!, () => sleep(costWindowS * 1000))), window_s: costWindowS, targets: { cpu_pct_max: 1, rss_mb_max: 150 } });
    let achieved = 0;
    const loaded = await cost(agent.child.pid!, async () => {
      achieved = Number((await runPython(driver, ['rate', '1000', String(costWindowS), '/bin/true'])).trim());
    });
    print({ name: 'sensors.cost', load: '1000_execs_per_s', node_compile_cache: false, achieved_execs_per_s: Math.round(achieved), ...loaded, window_s: costWindowS, targets: { cpu_pct_max_note: 'no target under load', rss_mb_max: 150 } });
    agent.child.disconnect();
    await new Promise((r) => agent.child.once('exit', r));
    // The same with Node's compile cache warm (the systemd unit's setting, from the second start on).
    for (let warm = 0; warm < 1; warm += 1) await stopAgent(await startAgent(sensors, compileCache));
    const cached = await startAgent(sensors, compileCache);
    print({ name: 'sensors.cost', load: 'idle', node_compile_cache: true, ...(await cost(cached.child.pid!, () => sleep(costWindowS * 1000))), window_s: costWindowS, targets: { cpu_pct_max: 1, rss_mb_max: 150 } });
    const cachedLoaded = await cost(cached.child.pid!, async () => {
      achieved = Number((await runPython(driver, ['rate', '1000', String(costWindowS), '/bin/true'])).trim());
    });
    print({ name: 'sensors.cost', load: '1000_execs_per_s', node_compile_cache: true, achieved_execs_per_s: Math.round(achieved), ...cachedLoaded, window_s: costWindowS, targets: { cpu_pct_max_note: 'no target under load', rss_mb_max: 150 } });
    await stopAgent(cached);

    // (c) latency, each mode against the same /bin/true copy on the bench tmpfs. The modes take turns
    // in rounds and their samples are pooled, so that other load on the host falls on all of them.
    const modes: [string, SensorsConfig | undefined][] = [
      ['no_agent', undefined],
      ['sensors', sensors],
      ['exec_permission', { ...sensors, execPermission: { enabled: true, mounts: [work] } }],
    ];
    const pooled = new Map<string, number[]>(modes.map(([mode]) => [mode, []]));
    const rounds = 4;
    for (let r = 0; r < rounds; r += 1) {
      for (const [mode, config] of modes) {
        const a = config ? await startAgent(config) : undefined;
        pooled.get(mode)!.push(...(await latencySamplesOf(driver, trueCopy, Math.ceil(latencySamples / rounds))));
        if (a) {
          a.child.disconnect();
          await new Promise((done) => a.child.once('exit', done));
        }
      }
    }
    const base = percentiles(pooled.get('no_agent')!);
    for (const [mode] of modes) {
      const l = percentiles(pooled.get(mode)!);
      print({
        name: 'sensors.latency', mode, ...l, samples: pooled.get(mode)!.length,
        ...(mode === 'no_agent' ? {} : { added_p50_ms: round(l.p50_ms - base.p50_ms), added_p99_ms: round(l.p99_ms - base.p99_ms), target_added_p99_ms: 1 }),
      });
    }

    // auditd, side by side
    if (!existsSync('/sbin/auditd') || !existsSync('/sbin/auditctl')) {
      print({ name: 'sensors.completeness', agent: 'auditd', skipped: 'auditd is not installed (Debian package "auditd")' });
    } else {
      for (const line of await underAuditd(driver, trueCopy, base.p99_ms)) print(line);
    }
  } finally {
    execFileSync('umount', ['-l', work]);
    rmSync(work, { recursive: true, force: true });
  }
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

async function cost(pid: number, during: () => Promise<void>) {
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
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpu_pct: round((100 * used) / seconds, 2), rss_mb: round(kb('VmRSS') / 1024, 1), peak_rss_mb: round(kb('VmHWM') / 1024, 1) };
}

async function latencySamplesOf(driver: string, binary: string, count: number): Promise<number[]> {
  return (await runPython(driver, ['latency', String(count), binary])).trim().split(' ').map(Number);
}

async function latency(driver: string, binary: string) {
  return percentiles(await latencySamplesOf(driver, binary, latencySamples));
}

function percentiles(unsorted: number[]) {
  const samples = [...unsorted].sort((a, b) => a - b);
  const at = (q: number) => round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! / 1e6, 3);
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
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
    const l = await latency(driver, binary);
    lines.push({ name: 'sensors.latency', mode: 'auditd_execve_rule', ...l, added_p99_ms: round(l.p99_ms - baseP99, 3), samples: latencySamples });
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

function runPython(driver: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [driver, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`driver ${args[0]} exited with ${code}`))));
  });
}

function spawnQuiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // Restoring state is best effort; the next step still runs.
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (n: number, digits = 3) => Number(n.toFixed(digits));

const driverSource = `
import os, sys, time
mode = sys.argv[1]
env = {'PATH': '/usr/bin:/bin'}
def run(argv):
    pid = os.posix_spawn(argv[0], argv, env)
    os.waitpid(pid, 0)
if mode == 'burst':
    start, end, marker = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    for i in range(start, end):
        tag = '%s-%d' % (marker, i)
        run(['/bin/true', tag] if i % 2 == 0 else ['/bin/sh', '-c', ': ' + tag])
elif mode == 'rate':
    rate, seconds, binary = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    t0 = time.monotonic(); n = 0
    while True:
        now = time.monotonic()
        if now - t0 >= seconds: break
        due = t0 + n / rate
        if due > now: time.sleep(due - now)
        run([binary]); n += 1
    print(n / (time.monotonic() - t0))
elif mode == 'latency':
    count, binary = int(sys.argv[2]), sys.argv[3]
    for _ in range(50): run([binary])
    out = []
    for _ in range(count):
        t = time.perf_counter_ns(); run([binary]); out.append(time.perf_counter_ns() - t)
    print(' '.join(map(str, out)))
`;

if (process.argv[2] === '--agent') await runAgent(JSON.parse(process.argv[3]!) as SensorsConfig);
else await main();
