/** The console's 部署 page API: facts for IT administrators only; policy files only for an active code of this server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, ENROLL_CODE, loginAs, type AdminLogin, type TestServer } from './helpers';

describe('deployment API', () => {
  let server: TestServer;
  let admin: AdminLogin;
  const files = (enrollmentCode: string, who: AdminLogin = admin) =>
    server.request('/api/admin/deployment/policy-files', { method: 'POST', headers: who.write, json: { enrollmentCode } });

  beforeAll(async () => {
    server = await createTestServer({ env: { BAOMI_PUBLIC_URL: 'https://baomi.corp.example.com/' } });
    admin = await loginAs(server, 'it-admin');
  });
  afterAll(() => server.cleanup());

  it('the IT administrator reads the extension id and the URLs under the public URL', async () => {
    const res = await server.request('/api/admin/deployment', { headers: admin.get });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      extensionId: server.keys.extension.id,
      serverUrl: 'https://baomi.corp.example.com',
      publicUrlConfigured: true,
      urls: { chromeUpdateUrl: 'https://baomi.corp.example.com/extension/chrome/updates.xml' },
      releases: [],
    });
    expect((body.activeCodes as { hint: string }[]).map((code) => code.hint)).toEqual(['TEST…']);
  });

  it.each(['info-officer', 'auditor', 'approver'] as const)('%s may not open it', async (role) => {
    const other = await loginAs(server, role);
    expect((await server.request('/api/admin/deployment', { headers: other.get })).status).toBe(403);
    expect((await files(ENROLL_CODE, other)).status).toBe(403);
  });

  it('an active code gives the files, the code written with this server key fingerprint', async () => {
    const res = await files(ENROLL_CODE.toLowerCase());
    expect(res.status).toBe(200);
    const { files: made } = (await res.json()) as { files: { id: string; content: string }[] };
    const linux = JSON.parse(made.find((file) => file.id === 'chromium-linux')!.content);
    expect(linux['3rdparty'].extensions[server.keys.extension.id]).toEqual({
      serverUrl: 'https://baomi.corp.example.com',
      enrollmentCode: `${ENROLL_CODE}#${server.keys.keyId}`,
    });
    expect(linux.ExtensionInstallForcelist).toEqual([
      `${server.keys.extension.id};https://baomi.corp.example.com/extension/chrome/updates.xml`,
    ]);
  });

  it('an unknown code, a revoked one or one of another server is refused with its own code', async () => {
    expect((await files('NOPE-NOPE-NOPE')).status).toBe(401);
    expect(((await (await files(`${ENROLL_CODE}#0123456789abcdef`)).json()) as { error: { code: string } }).error.code).toBe(
      'enrollment-code-other-server',
    );
    const created = (await (
      await server.request('/api/admin/enrollment-codes', { method: 'POST', headers: admin.write, json: { label: 'x' } })
    ).json()) as { id: string; code: string };
    expect((await files(created.code)).status).toBe(200);
    await server.request(`/api/admin/enrollment-codes/${created.id}`, { method: 'DELETE', headers: admin.write });
    const refused = await files(created.code);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('enrollment-code-revoked');
  });
});
