// The `cidr` modifier: IPv4 and IPv6 networks, compared as 16-byte addresses (IPv4 mapped into IPv6).

export type Network = { bytes: Uint8Array; prefix: number };

export function parseCidr(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const isV4 = !text.includes(':');
  const maxPrefix = isV4 ? 32 : 128;
  const prefix = slash < 0 ? maxPrefix : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1)))) return undefined;
  return { bytes: address, prefix: isV4 ? prefix + 96 : prefix };
}

export function inNetwork(network: Network, ip: Uint8Array): boolean {
  let bits = network.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((network.bytes[i]! & mask) !== (ip[i]! & mask)) return false;
  }
  return true;
}

/** 16 bytes, or undefined when the text is not an IP address. IPv4 becomes ::ffff:a.b.c.d. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.length > 64) return undefined;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    if (!v4) return undefined;
    const out = new Uint8Array(16);
    out[10] = 0xff; out[11] = 0xff; out.set(v4, 12);
    return out;
  }
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  const groups: number[] = [];
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups.push(...head, ...new Array<number>(fill).fill(0), ...tail);
  } else {
    if (head.length !== 8) return undefined;
    groups.push(...head);
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { out[i * 2] = g >> 8; out[i * 2 + 1] = g & 0xff; });
  return out;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}
