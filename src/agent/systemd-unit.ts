// The systemd unit that runs the agent. Restart=always with a rate limit: a crash loop is the content
// store's crash-loop guard's business (it rolls content back), and systemd must keep restarting long
// enough for it to act. The kernel interfaces need root (or the listed capabilities).

export type UnitOptions = { node: string; cli: string; config: string; workingDirectory: string };

export const unitFileName = 'ring3-agent.service';

export function systemdUnit(options: UnitOptions): string {
  return `[Unit]
Description=ring3 agent: user-mode endpoint detection (sensors, Sigma engine, alert spool)
Documentation=file://${options.workingDirectory}/docs/agent.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
WorkingDirectory=${options.workingDirectory}
ExecStart=${options.node} ${options.cli} agent run --config ${options.config}
Restart=always
RestartSec=5
StartLimitIntervalSec=0
KillSignal=SIGTERM
TimeoutStopSec=30
# Root for the netlink process connector, fanotify and sock_diag; ring3 loads nothing into the kernel.
User=root
Nice=-5
LimitNOFILE=65536
StateDirectory=ring3
# bin/ring3.js re-executes \`agent run\` (same pid) with a small V8 young generation and Node's compile
# cache. The cache keeps stripped TypeScript and compiled code here (root-owned): from the second start
# on no thread loads the TypeScript parser, about 30 MB less RSS (docs/sensors.md, "Memory").
CacheDirectory=ring3
Environment=NODE_COMPILE_CACHE=/var/cache/ring3/node-compile-cache
ConfigurationDirectory=ring3
MemoryMax=1G

[Install]
WantedBy=multi-user.target
`;
}
