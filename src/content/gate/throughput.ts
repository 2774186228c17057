// Throughput on a reference stream: deterministic, realistic Linux process, file and network events
// (plus the pack's own test events), evaluated by the real engine. A new version is measured beside
// the previous one in the same run, alternating, best of N, so the ratio is fair on a busy machine.
import { createEvaluator } from '../../sigma/index.ts';
import type { RuleSet } from '../../sigma/index.ts';
import type { Logsource } from '../rule-tests.ts';

export type StreamEvent = { event: Record<string, unknown>; logsource: Logsource };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const binaries = ['/usr/bin/ls', '/usr/bin/cat', '/usr/bin/grep', '/usr/bin/python3', '/usr/sbin/sshd', '/usr/bin/bash', '/usr/bin/systemctl', '/usr/bin/git', '/usr/bin/node', '/usr/lib/systemd/systemd-journald', '/usr/bin/curl', '/usr/bin/tar'];
const args = ['-la /var/log', '/etc/hostname', '-r TODO src/', '-m http.server 8000', '-D', '-c "echo ok"', 'status nginx', 'pull --rebase', 'server.js', '', '-s https://api.example.com/health', 'czf backup.tgz /srv/data'];
const files = ['/tmp/build.log', '/var/log/syslog', '/home/alice/.cache/pip/x', '/srv/app/data.db', '/etc/nginx/nginx.conf', '/var/lib/apt/lists/partial/x', '/home/bob/notes.txt'];
const users = ['root', 'alice', 'bob', 'www-data', 'postgres'];

/** A fixed stream of `size` events; `extra` events (e.g. the pack's tests) are mixed in every 100. */
export function referenceStream(size: number, extra: readonly StreamEvent[] = [], seed = 42): StreamEvent[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const stream: StreamEvent[] = [];
  for (let i = 0; i < size; i++) {
    if (extra.length > 0 && i % 100 === 99) { stream.push(extra[(i / 100) % extra.length | 0]!); continue; }
    const r = random();
    const user = pick(users);
    if (r < 0.6) {
      const image = pick(binaries);
      stream.push({ logsource: { product: 'linux', category: 'process_creation' }, event: {
        Image: image, CommandLine: `${image.split('/').at(-1)} ${pick(args)}`, ParentImage: pick(binaries), ParentCommandLine: pick(args),
        User: user, CurrentDirectory: `/home/${user}`, ProcessId: 1000 + i, ParentProcessId: 900 + (i % 50), LogonId: 0,
      } });
    } else if (r < 0.85) {
      stream.push({ logsource: { product: 'linux', category: 'file_event' }, event: { Image: pick(binaries), TargetFilename: pick(files), User: user, ProcessId: 1000 + i } });
    } else {
      stream.push({ logsource: { product: 'linux', category: 'network_connection' }, event: {
        Image: pick(binaries), DestinationIp: `10.0.${i % 255}.${(i * 7) % 255}`, DestinationPort: pick([443, 80, 22, 5432, 53]),
        SourceIp: '10.0.0.5', SourcePort: 30000 + (i % 30000), Initiated: 'true', Protocol: 'tcp', User: user, ProcessId: 1000 + i,
      } });
    }
  }
  return stream;
}

/** Events per second for one pass (or more, until `minMs` has elapsed) over the stream. */
export function measureOnce(ruleSet: RuleSet, stream: readonly StreamEvent[], now: () => number, minMs: number): number {
  const evaluator = createEvaluator(ruleSet);
  let events = 0;
  const started = now();
  let elapsed = 0;
  do {
    for (const { event, logsource } of stream) evaluator.evaluate(event, { timeMs: events, eventIndex: events++, logsource });
    elapsed = now() - started;
  } while (elapsed < minMs);
  return (events / elapsed) * 1000;
}

export type ThroughputResult = { eventsPerS: number; baselineEventsPerS?: number; ratio?: number };

/** Measures `current` (and `baseline`, alternating) `rounds` times each and keeps the best of each. */
export function compareThroughput(current: RuleSet, baseline: RuleSet | undefined, stream: readonly StreamEvent[], options: { now: () => number; rounds: number; minMs: number }): ThroughputResult {
  measureOnce(current, stream.slice(0, 500), options.now, 0); // warm-up: JIT and caches
  let best = 0;
  let bestBaseline = 0;
  for (let i = 0; i < options.rounds; i++) {
    best = Math.max(best, measureOnce(current, stream, options.now, options.minMs));
    if (baseline) bestBaseline = Math.max(bestBaseline, measureOnce(baseline, stream, options.now, options.minMs));
  }
  return baseline ? { eventsPerS: best, baselineEventsPerS: bestBaseline, ratio: best / bestBaseline } : { eventsPerS: best };
}
