/** A device upload's event (wire form) for the scale bench's probes and ingest: masked sample, keyed-hash-shaped hex. */
import { uuidv7 } from '../../utils/events/uuid-v7';

export function makeEventInput(deviceId: string, at: number) {
  return {
    id: uuidv7(at),
    kind: 'violation',
    time: new Date(at).toISOString(),
    deviceId,
    userId: 'bench.probe',
    department: '市场部',
    origin: 'https://crm.example.com',
    destination: null,
    channel: 'copy',
    action: 'block',
    ruleId: 'no-copy-out',
    level: '秘密',
    policyVersion: 1,
    grantId: null,
    findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: 'a'.repeat(64) }],
    findingCount: 1,
  };
}
