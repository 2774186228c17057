// Runs the shared storage cases against SQLite and (when configured) PostgreSQL.
import { describe, it } from 'node:test';
import { storeTargets } from '../store-targets.ts';
import { storeCases } from './store-cases.ts';

for (const target of storeTargets) {
  describe(`Store on ${target.name}`, { skip: target.skip }, () => {
    for (const storeCase of storeCases) {
      it(storeCase.name, async () => {
        const store = await target.open();
        try {
          await storeCase.run(store);
        } finally {
          await store.close();
        }
      });
    }
  });
}
