// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../policy/default-policy';
import { createGuardEnv } from '../guard-env';
import { installScreenWatermark, screenWatermarkText, watermarkTile } from './screen-watermark';

const who = {
  name: '张三',
  user: 'zhang.san',
  device: '01a253f5-0ccc-7803-be4f-7053d854cd6f',
  level: '机密' as const,
  now: new Date(2026, 11, 8, 18, 5),
};

describe('screen watermark', () => {
  it('names the person, the account, the device (short) and the minute', () => {
    expect(screenWatermarkText('{name} · {user} · {device} · {time} · {level}', who)).toBe(
      '张三 · zhang.san · d854cd6f · 2026-12-08 18:05 · 机密',
    );
  });

  it('the tile escapes the text and carries the opacity', () => {
    const tile = decodeURIComponent(watermarkTile('<b>&"', { opacity: 0.1, density: 'medium' }));
    expect(tile).toContain('fill-opacity="0.1"');
    expect(tile).toContain('&#60;b&#62;&#38;&#34;');
    expect(tile).not.toContain('<b>');
  });

  it.each([
    ['机密', true],
    ['绝密', true],
    ['秘密', false],
    [null, false],
  ] as const)('a page at %s shows it: %s (default minimum 机密)', (level, shown) => {
    const env = createGuardEnv(window);
    env.page = { ...env.page, level };
    const controller = new AbortController();
    installScreenWatermark(env, controller.signal).refresh();
    expect(document.querySelector('baomi-watermark') !== null).toBe(shown);
    controller.abort();
    expect(document.querySelector('baomi-watermark')).toBeNull(); // gone with the guard
  });

  it('switched off by the policy, it is not shown on a 绝密 page', () => {
    const env = createGuardEnv(window);
    env.policy = { ...DEFAULT_POLICY, screenWatermark: { enabled: false, minLevel: '机密', text: '{user}', opacity: 0.1, density: 'low' } };
    env.page = { ...env.page, level: '绝密' };
    const controller = new AbortController();
    installScreenWatermark(env, controller.signal).refresh();
    expect(document.querySelector('baomi-watermark')).toBeNull();
    controller.abort();
  });
});
