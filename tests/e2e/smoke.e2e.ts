import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionWorker, launchBrowser, type LaunchedBrowser } from './support/browser';

describe('built extension loads in Chromium', () => {
  let launched: LaunchedBrowser;
  beforeAll(async () => {
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await launched?.close();
  });

  it('starts its service worker with a name from _locales', async () => {
    const { worker, extensionId } = await extensionWorker(launched.browser);
    expect(extensionId).toMatch(/^[a-p]{32}$/);
    const name = await worker.evaluate('chrome.runtime.getManifest().name');
    expect(['保密卫士', 'Baomi Guard']).toContain(name);
  });
});
