// The connection tracker with scripted socket listings: direction when a listing missed the listener,
// and connections still waiting in an accept queue (no socket inode, so no process yet).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConnectionTracker } from '../../src/sensors/connection-tracker.ts';
import { socketId, tcpState, type SocketRow } from '../../src/sensors/socket-row.ts';

const row = (localPort: number, remotePort: number, state: number, inode: number): SocketRow => ({
  id: socketId('tcp', '127.0.0.1', localPort, '127.0.0.1', remotePort),
  protocol: 'tcp', ipv6: false, state, localIp: '127.0.0.1', localPort, remoteIp: '127.0.0.1', remotePort, uid: 0, inode,
});
const listener = (port: number) => row(port, 0, tcpState.LISTEN, 900 + port);

function setup(owners: Map<number, number>, listenersNow: SocketRow[]) {
  let relists = 0;
  const tracker = createConnectionTracker({
    host: { name: 'h' }, ownPid: 1, users: () => 'root', scanSocketOwners: () => new Map(owners),
    processInfo: (pid) => ({ info: { ProcessId: pid, Image: '/bin/server', User: 'root' }, missing: [] }),
    listListeners: () => ((relists += 1), listenersNow),
    acceptHoldMs: 1000,
  });
  return { tracker, relists: () => relists };
}

describe('connection tracker', () => {
  it('asks for the listeners again when a listing passed them before the server listened', () => {
    // The listing saw no listener on 8080 (it opened after the listener part) but both ends of a connection to it.
    const owners = new Map([[11, 50], [12, 50]]);
    const { tracker, relists } = setup(owners, [listener(8080)]);
    tracker.update([], 0);
    const events = tracker.update([row(40000, 8080, tcpState.ESTABLISHED, 11), row(8080, 40000, tcpState.ESTABLISHED, 12)], 100);
    assert.deepEqual(events.map((e) => [e.SourcePort, e.Initiated]), [[40000, 'true'], [8080, 'false']]);
    assert.equal(relists(), 1, 'once per listing');
  });

  it('does not ask again when the listing already had the listener', () => {
    const { tracker, relists } = setup(new Map([[12, 50]]), []);
    tracker.update([], 0);
    const [event] = tracker.update([listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 12)], 100);
    assert.equal(event?.Initiated, 'false');
    assert.equal(relists(), 0);
  });

  it('reports a connection waiting to be accepted once the server has it, with the process', () => {
    const owners = new Map<number, number>();
    const { tracker } = setup(owners, []);
    tracker.update([], 0);
    assert.deepEqual(tracker.update([listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 0)], 100), []);
    owners.set(12, 50);
    const [event] = tracker.update([listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 12)], 200);
    assert.deepEqual([event?.ProcessId, event?.Initiated, event?.missing], [50, 'false', []]);
    assert.deepEqual(tracker.update([listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 12)], 300), [], 'reported once');
  });

  it('reports a connection never accepted after the hold, without a process', () => {
    const { tracker } = setup(new Map(), []);
    tracker.update([], 0);
    const waiting = [listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 0)];
    assert.deepEqual(tracker.update(waiting, 100), []);
    assert.deepEqual(tracker.update(waiting, 900), []);
    const [event] = tracker.update(waiting, 1100);
    assert.deepEqual([event?.ProcessId, event?.Initiated, event?.missing], [undefined, 'false', ['ProcessId', 'ProcessGuid', 'Image']]);
    assert.deepEqual(tracker.update(waiting, 1200), []);
  });

  it('does not report a connection again when one listing skipped it', () => {
    const { tracker } = setup(new Map([[11, 50]]), []);
    tracker.update([], 0);
    const out = row(40000, 8080, tcpState.ESTABLISHED, 11);
    assert.equal(tracker.update([out], 100).length, 1);
    assert.deepEqual(tracker.update([], 200), [], 'a listing read in parts missed it');
    assert.deepEqual(tracker.update([out], 300), []);
    // Gone from two listings in a row: the same endpoints again are a new connection.
    tracker.update([], 400);
    tracker.update([], 500);
    assert.equal(tracker.update([out], 600).length, 1);
  });

  it('reports a connection closed before it was accepted from the destroy notification', () => {
    const { tracker } = setup(new Map(), []);
    tracker.update([], 0);
    assert.deepEqual(tracker.update([listener(8080), row(8080, 40000, tcpState.ESTABLISHED, 0)], 100), []);
    const events = tracker.destroyed([row(8080, 40000, tcpState.CLOSE, 0)], 150);
    assert.deepEqual(events.map((e) => [e.SourcePort, e.Initiated]), [[8080, 'false']]);
    assert.deepEqual(tracker.update([listener(8080)], 200), []);
  });
});
