import type { ReaderFactory } from '../poll-reader.ts';
export type AuditReaderOptions = { hostName?: string };
export const createAuditReader: ReaderFactory<AuditReaderOptions> = () => ({ ok: false, reason: 'todo' });
