/** GET /api/admin/events.csv: the events page's filters, BOM, masked samples only, readable rules, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, enroll, loginAs, makeEvent, type TestServer } from './helpers';

describe('events CSV export', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer();
    const device = await enroll(server);
    const events = [
      makeEvent(device.deviceId, { level: '机密', channel: 'copy', ruleId: 'no-copy-out' }, server.now().getTime()),
      makeEvent(device.deviceId, { level: '秘密', channel: 'print', ruleId: 'print-watermark', action: 'warn' }, server.now().getTime()),
    ];
    const response = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
    expect(response.status).toBe(200);
  });
  afterAll(async () => server.cleanup());

  it('exports the filtered events with a BOM, readable rules and masked samples, never a hash', async () => {
    const auditor = await loginAs(server, 'auditor');
    const response = await server.request(`/api/admin/events.csv?level=${encodeURIComponent('机密')}`, { headers: auditor.get });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes); // the decoder drops the BOM
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain('时间 / Time (UTC)');
    expect(lines).toHaveLength(2); // header + the one 机密 event
    expect(lines[1]).toContain('机密');
    expect(lines[1]).toContain('禁止复制、剪切、拖出客户信息');
    expect(lines[1]).toContain('138****5678');
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    const audit = await (await server.request('/api/admin/audit-log', { headers: auditor.get })).json();
    expect(JSON.stringify(audit)).toContain('events-export');
  });

  it('is refused to information officers (the domain policy keeps export to IT and audit)', async () => {
    const officer = await loginAs(server, 'info-officer');
    expect((await server.request('/api/admin/events.csv', { headers: officer.get })).status).toBe(403);
  });
});
