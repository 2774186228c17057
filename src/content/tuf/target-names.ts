// Where a pack lives in a TUF repository. Each pack name has a channel target, a tiny signed pointer to
// its newest version, so a client learns what to fetch from TUF-verified data alone.
export type Channel = { name: string; version: string; target: string };

export function packTarget(name: string, version: string): string {
  return `${name}/${name}-${version}.r3pack`;
}

export function channelTarget(name: string): string {
  return `${name}/channel.json`;
}
