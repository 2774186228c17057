// The exec workload of bench:sensors: a small Python script (posix_spawn + waitpid, cheaper per exec
// than Node's spawn). `rate` forks several pacers, each on its own absolute schedule, so that one
// pacer waiting for its child does not lose the beat: one pacer alone reached only 550–740 execs/s on
// a 2-core machine.
import { spawn } from 'node:child_process';

export const python = '/usr/bin/python3';

export function runDriver(driver: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [driver, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`driver ${args[0]} exited with ${code}`))));
  });
}

/** Runs `binary` at `rate` execs/s for `seconds` with `pacers` processes; the rate achieved. */
export async function execAtRate(driver: string, rate: number, seconds: number, binary = '/bin/true', pacers = 4): Promise<number> {
  return Number((await runDriver(driver, ['rate', String(rate), String(seconds), binary, String(pacers)])).trim());
}

/** Nanoseconds of spawn+exec+wait per sample, for each binary; the binaries take turns sample by sample. */
export async function latencySamples(driver: string, count: number, binaries: string[]): Promise<number[][]> {
  const out = await runDriver(driver, ['latency', String(count), ...binaries]);
  return out.trim().split('\n').map((line) => line.trim().split(' ').map(Number));
}

export function percentiles(unsorted: number[]) {
  const samples = [...unsorted].sort((a, b) => a - b);
  const at = (q: number) => Number((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! / 1e6).toFixed(3));
  return { p50_ms: at(0.5), p99_ms: at(0.99) };
}

export const driverSource = `
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
    rate, seconds, binary, pacers = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    t0 = time.monotonic() + 0.05
    pipes = []
    for k in range(pacers):
        r, w = os.pipe()
        if os.fork() == 0:
            os.close(r); n = 0; step = pacers / rate
            while True:
                due = t0 + k / rate + n * step
                if due - t0 >= seconds: break
                now = time.monotonic()
                if due > now: time.sleep(due - now)
                run([binary]); n += 1
            os.write(w, str(n).encode()); os._exit(0)
        os.close(w); pipes.append(r)
    total = sum(int(os.read(r, 64) or b'0') for r in pipes)
    for _ in pipes: os.wait()
    print(total / (time.monotonic() - t0))
elif mode == 'latency':
    count, binaries = int(sys.argv[2]), sys.argv[3:]
    for _ in range(50):
        for b in binaries: run([b])
    out = [[] for _ in binaries]
    for _ in range(count):
        for i, b in enumerate(binaries):
            t = time.perf_counter_ns(); run([b]); out[i].append(time.perf_counter_ns() - t)
    print('\\n'.join(' '.join(map(str, o)) for o in out))
`;
