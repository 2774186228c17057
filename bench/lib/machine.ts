// What a benchmark ran on, printed with its figures.
import { cpus, totalmem, release } from 'node:os';

export function machine(): { cpu: string; cores: number; mem_gb: number; kernel: string; node: string } {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, mem_gb: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version };
}
