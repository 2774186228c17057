// Where ring3's own starter pack lives in the source tree, for the agent's first start and for tests.
import { fileURLToPath } from 'node:url';

export const starterPackDir: string = fileURLToPath(new URL('../../content/starter/', import.meta.url));
