import { describe, expect, it } from 'vitest';
import { chromeUpdateXml, firefoxUpdatesJson, type Release } from './update-manifest';

const ID = 'kbdcflfgjgbjnknkockooohcegmajglm';
const pkg = (file: string, digit: string) => ({ file, sha256: digit.repeat(64), size: 10 });
const R1: Release = { version: '0.1.0.1', publishedAt: '2026-12-08T00:00:00.000Z', chrome: pkg('baomi-guard-0.1.0.1.crx', 'a') };
const R2: Release = {
  version: '0.1.0.2',
  publishedAt: '2026-12-08T01:00:00.000Z',
  chrome: pkg('baomi-guard-0.1.0.2.crx', 'b'),
  firefox: pkg('baomi-guard-0.1.0.2.xpi', 'c'),
};

describe('update manifests', () => {
  it('gupdate names the latest version, its CRX under the public URL and its hash', () => {
    const xml = chromeUpdateXml(ID, R2, 'https://baomi.corp.example.com');
    expect(xml).toContain(`<app appid="${ID}" status="ok">`);
    expect(xml).toContain(
      `<updatecheck codebase="https://baomi.corp.example.com/extension/chrome/baomi-guard-0.1.0.2.crx" hash_sha256="${'b'.repeat(64)}" version="0.1.0.2" />`,
    );
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<gupdate xmlns="http:\/\/www.google.com\/update2\/response" protocol="2.0">/,
    );
  });

  it('nothing published: a valid answer that says there is no update', () => {
    expect(chromeUpdateXml(ID, null, 'http://x')).toContain('<updatecheck status="noupdate" />');
  });

  it('a base URL with XML-special characters is escaped', () => {
    expect(chromeUpdateXml(ID, R1, "http://a'b&c")).toContain('codebase="http://a&apos;b&amp;c/extension/chrome/');
  });

  it('updates.json lists the releases that have an XPI, each with its SHA-256', () => {
    expect(firefoxUpdatesJson([R1, R2], 'https://b.example')).toEqual({
      addons: {
        'baomi-guard@baomi.example': {
          updates: [
            {
              version: '0.1.0.2',
              update_link: 'https://b.example/extension/firefox/baomi-guard-0.1.0.2.xpi',
              update_hash: `sha256:${'c'.repeat(64)}`,
            },
          ],
        },
      },
    });
  });
});
