// The first start of a server makes its first admin token, so a fresh install is usable without
// set-up and never open: the token is shown once (and written to the data directory by run-server).
import type { Store } from '../storage/store.ts';
import { issueSecret } from './secrets.ts';

export type AdminBootstrap = { kind: 'created'; token: string; id: string } | { kind: 'exists' };

export async function ensureAdminToken(store: Store, now: number): Promise<AdminBootstrap> {
  if (await store.countAdminTokens() > 0) return { kind: 'exists' };
  const issued = issueSecret('admin');
  await store.createAdminToken({ id: issued.id, secretHash: issued.hash, note: 'made at first start', createdAt: now, revokedAt: null });
  return { kind: 'created', token: issued.text, id: issued.id };
}
