// The engine's version is ring3's own version: packs declare the range of it they can run on.
import { readFileSync } from 'node:fs';

export function currentEngineVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
