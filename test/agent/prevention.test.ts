import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVerdictPort } from '../../src/agent/prevention.ts';
import type { DetectionEngine } from '../../src/sigma/index.ts';

const engine: DetectionEngine = { match: () => [], quarantine: () => undefined, quarantined: () => [], ruleErrors: 0 };

describe('exec verdict port', () => {
  it('needs to be asked only while a detection carries a deny tag, per loaded rule set', () => {
    let detections = [{ meta: { tags: ['attack.execution'] } }];
    const port = createVerdictPort({ engine: () => engine, denyTags: ['ring3.prevent'], hostName: 'h', clock: () => 0, detections: () => detections });
    assert.equal(port.needed(), false);
    detections = [...detections, { meta: { tags: ['ring3.prevent'] } }];
    assert.equal(port.needed(), true);
    assert.equal(createVerdictPort({ engine: () => engine, denyTags: [], hostName: 'h', clock: () => 0 }).needed(), true, 'unknown rules: ask');
  });
});
