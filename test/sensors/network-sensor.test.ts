// Real TCP and UDP connections on loopback (IPv4 and IPv6), opened by a child process, against
// sock_diag and the /proc/net fallback.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import type { NetworkConnectionEvent, SensorEvent } from '../../src/events/index.ts';
import { createProcNetNetworkSensor, createSockDiagNetworkSensor, type Sensor } from '../../src/sensors/index.ts';
import { collector, rootSkip } from './helpers.ts';

const isNet = (e: SensorEvent): e is NetworkConnectionEvent => e.kind === 'network_connection';

// The child opens a TCP server and a client on ::1 and on 127.0.0.1, a connected UDP socket, prints
// the ports, and keeps everything open until told to exit on stdin.
const childScript = `
const net = require('net'), dgram = require('dgram');
const ports = {};
const tcp = (host, key) => new Promise((ok) => {
  const server = net.createServer(() => {}).listen(0, host, () => {
    const client = net.connect(server.address().port, host, () => { ports[key] = [server.address().port, client.localPort]; ok(); });
  });
});
const udp = dgram.createSocket('udp6'); udp.on('error', () => {});
Promise.all([tcp('::1', 'tcp6'), tcp('127.0.0.1', 'tcp4'), new Promise((ok) => udp.bind(0, '::1', () => udp.connect(9, '::1', () => { ports.udp6 = [9, udp.address().port]; ok(); })))])
  .then(() => process.stdout.write(JSON.stringify(ports) + '\\n'));
process.stdin.on('data', () => process.exit(0));
`;

const implementations: { name: string; make(): Sensor; state: string }[] = [
  { name: 'sock_diag', make: () => createSockDiagNetworkSensor({ intervalMs: 100 }), state: 'running' },
  { name: '/proc/net fallback', make: () => createProcNetNetworkSensor({ intervalMs: 100 }), state: 'degraded' },
];

for (const impl of implementations) {
  describe(`network sensor (${impl.name})`, { skip: rootSkip }, () => {
    it('reports TCP and UDP connections over IPv4 and IPv6 with their process', async () => {
      const sensor = impl.make();
      const events = collector();
      // Connections open before the sensor starts are its baseline, not news: start it first.
      const status = await sensor.start(events.sink);
      const child = spawn(process.execPath, ['-e', childScript], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        assert.equal(status.state, impl.state, status.reason);
        const [line] = (await once(child.stdout!, 'data')) as [Buffer];
        const ports = JSON.parse(line.toString()) as Record<string, [number, number]>;
        const mine = (e: SensorEvent) => isNet(e) && e.ProcessId === child.pid;
        const [server6, client6] = ports['tcp6']!;
        const out6 = (await events.waitFor((e) => mine(e) && (e as NetworkConnectionEvent).SourcePort === client6)) as NetworkConnectionEvent;
        assert.deepEqual(
          { p: out6.Protocol, i: out6.Initiated, s: out6.SourceIp, d: out6.DestinationIp, dp: out6.DestinationPort, v6: out6.SourceIsIpv6 },
          { p: 'tcp', i: 'true', s: '::1', d: '::1', dp: server6, v6: 'true' },
        );
        assert.equal(out6.Image, process.execPath);
        assert.equal(out6.User, 'root');
        assert.ok(out6.ProcessGuid);
        const in6 = (await events.waitFor((e) => mine(e) && (e as NetworkConnectionEvent).SourcePort === server6)) as NetworkConnectionEvent;
        assert.equal(in6.Initiated, 'false');
        assert.equal(in6.DestinationPort, client6);
        const [server4, client4] = ports['tcp4']!;
        const out4 = (await events.waitFor((e) => mine(e) && (e as NetworkConnectionEvent).SourcePort === client4)) as NetworkConnectionEvent;
        assert.deepEqual([out4.SourceIp, out4.DestinationIp, out4.DestinationPort, out4.Initiated, out4.SourceIsIpv6], ['127.0.0.1', '127.0.0.1', server4, 'true', 'false']);
        const in4 = (await events.waitFor((e) => mine(e) && (e as NetworkConnectionEvent).SourcePort === server4)) as NetworkConnectionEvent;
        assert.deepEqual([in4.DestinationPort, in4.Initiated], [client4, 'false']);
        const [, udpPort] = ports['udp6']!;
        const udp = (await events.waitFor((e) => mine(e) && (e as NetworkConnectionEvent).Protocol === 'udp')) as NetworkConnectionEvent;
        assert.deepEqual([udp.SourcePort, udp.DestinationPort, udp.DestinationIp, udp.Initiated], [udpPort, 9, '::1', 'true']);
        // Each connection is reported once, not once per listing.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(events.events.filter(mine).length, 5);
      } finally {
        child.stdin!.end('x');
        await sensor.stop();
      }
    });
  });
}

describe('network sensor (sock_diag destroy notifications)', { skip: rootSkip }, () => {
  it('reports a connection that opened and closed between two listings', async () => {
    const sensor = createSockDiagNetworkSensor({ intervalMs: 60_000 });
    const events = collector();
    try {
      await sensor.start(events.sink);
      const child = spawn(process.execPath, ['-e', `
        const net = require('net');
        const s = net.createServer((c) => c.end()).listen(0, '127.0.0.1', () => {
          const c = net.connect(s.address().port, '127.0.0.1', () => { console.log(c.localPort); c.destroy(); s.close(); });
        });`]);
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const port = Number(line.toString());
      const seen = (await events.waitFor((e) => isNet(e) && (e.SourcePort === port || e.DestinationPort === port))) as NetworkConnectionEvent;
      assert.equal(seen.Protocol, 'tcp');
      assert.equal(seen.SourceIp, '127.0.0.1');
    } finally {
      await sensor.stop();
    }
  });
});
