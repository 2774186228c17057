// uid → user name from /etc/passwd, re-read at most every `refreshMs` when a uid is unknown, so a
// newly created user resolves without rereading the file for every event.
import { readFileSync } from 'node:fs';

export type UserNames = (uid: number | undefined) => string | undefined;

export function createUserNames(options: { path?: string; refreshMs?: number; now?: () => number } = {}): UserNames {
  const path = options.path ?? '/etc/passwd';
  const refreshMs = options.refreshMs ?? 30_000;
  const now = options.now ?? Date.now;
  let names = new Map<number, string>();
  let loadedAt = -Infinity;
  const load = () => {
    loadedAt = now();
    try {
      names = parsePasswd(readFileSync(path, 'utf8'));
    } catch {
      // Without a passwd file, uids show as numbers (below).
    }
  };
  return (uid) => {
    if (uid === undefined) return undefined;
    if (!names.has(uid) && now() - loadedAt > refreshMs) load();
    return names.get(uid) ?? String(uid);
  };
}

export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return names;
}
