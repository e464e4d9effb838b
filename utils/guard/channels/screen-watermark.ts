/**
 * The on-screen watermark (屏幕水印, issue 30): the only defence against a phone photo of a
 * customer list is a visible mark naming who looked at it. On a page at or above the
 * policy's level, a fixed host over the viewport shows a tiled SVG (one background image:
 * no layout, no per-tile nodes) with the person's name, user id, the device's short id and
 * the time, updated each minute. Closed shadow root, `pointer-events: none`; a page script
 * that removes the host or rewrites its style finds it back at once (a MutationObserver
 * answers before the next paint).
 */
import { levelRank, type Level } from '../../detect/types';
import type { Policy } from '../../policy/schema';
import { unhideableHostStyle } from '../../dom/unhideable-style';
import type { GuardEnv } from '../guard-env';

export type ScreenWatermarkSettings = NonNullable<Policy['screenWatermark']>;

export const DEFAULT_SCREEN_WATERMARK: ScreenWatermarkSettings = {
  enabled: true,
  minLevel: '机密',
  text: '{name} · {user} · {device} · {time}',
  opacity: 0.1,
  density: 'medium',
};

export function screenWatermarkSettings(policy: Pick<Policy, 'screenWatermark'>): ScreenWatermarkSettings {
  return policy.screenWatermark ?? DEFAULT_SCREEN_WATERMARK;
}

export interface WatermarkIdentity {
  name: string;
  user: string;
  device: string;
  level: Level | null;
  now: Date;
}

function localTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function screenWatermarkText(template: string, who: WatermarkIdentity): string {
  const values: Record<string, string> = {
    name: who.name,
    user: who.user,
    device: who.device.replace(/-/g, '').slice(-8),
    time: localTime(who.now),
    level: who.level ?? '',
  };
  return template.replace(/\{(name|user|device|time|level)\}/g, (_m, key: string) => values[key] ?? '');
}

const TILE: Record<ScreenWatermarkSettings['density'], { width: number; height: number }> = {
  low: { width: 460, height: 300 },
  medium: { width: 360, height: 220 },
  high: { width: 280, height: 170 },
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One tile as an SVG data URL: the text rotated, grey at the policy's opacity (readable, never hiding the page). */
export function watermarkTile(text: string, settings: Pick<ScreenWatermarkSettings, 'opacity' | 'density'>): string {
  const { width, height } = TILE[settings.density];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="50%" y="50%" text-anchor="middle" dominant-baseline="middle" transform="rotate(-22 ${width / 2} ${height / 2})" ` +
    `font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="15" ` +
    `fill="rgb(60,60,60)" fill-opacity="${settings.opacity}">${escapeXml(text)}</text></svg>`;
  return `url("data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}")`;
}

const HOST_STYLE = unhideableHostStyle([
  'all: initial',
  'display: block',
  'position: fixed',
  'inset: 0',
  'width: 100vw',
  'height: 100vh',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'pointer-events: none',
  'overflow: hidden',
]);

export interface ScreenWatermark {
  /** Show, update or hide for the current page level, policy and identity. */
  refresh(): void;
}

export function installScreenWatermark(env: GuardEnv, signal: AbortSignal, now: () => Date = () => new Date()): ScreenWatermark {
  const doc = env.win.document;
  let host: HTMLElement | null = null;
  let layer: HTMLDivElement | null = null;
  let shown = false;
  let observer: MutationObserver | null = null;
  let minuteTimer: ReturnType<typeof setInterval> | undefined;

  function ensureHost(): void {
    if (!host) {
      host = doc.createElement('baomi-watermark');
      const shadow = host.attachShadow({ mode: 'closed' });
      layer = doc.createElement('div');
      layer.className = 'layer';
      layer.setAttribute('style', 'position:fixed;inset:0;pointer-events:none;background-repeat:repeat');
      // Paper has its own mark (print-overlay.ts): the screen's is not printed over it.
      const style = doc.createElement('style');
      style.textContent = '@media print { .layer { display: none !important; } }';
      shadow.append(style, layer);
    }
    if (host.getAttribute('style') !== HOST_STYLE) host.setAttribute('style', HOST_STYLE);
    const root = doc.documentElement;
    if (root && !host.isConnected) root.append(host);
  }

  function paint(): void {
    const settings = screenWatermarkSettings(env.policy);
    const text = screenWatermarkText(settings.text, {
      name: env.displayName ?? env.userId,
      user: env.userId,
      device: env.deviceId,
      level: env.page.level,
      now: now(),
    });
    ensureHost();
    layer!.style.backgroundImage = watermarkTile(text, settings);
  }

  /** Put back at once what a page script took away (the host, its style). */
  function guard(): void {
    observer ??= new MutationObserver(() => {
      if (shown && (!host?.isConnected || host.getAttribute('style') !== HOST_STYLE)) ensureHost();
    });
    const root = doc.documentElement;
    if (root) observer.observe(root, { childList: true });
    if (host) observer.observe(host, { attributes: true, attributeFilter: ['style', 'hidden', 'class'] });
  }

  function hide(): void {
    shown = false;
    observer?.disconnect();
    clearInterval(minuteTimer);
    host?.remove();
  }

  function refresh(): void {
    if (signal.aborted) return;
    const settings = screenWatermarkSettings(env.policy);
    const wanted =
      settings.enabled && env.page.level !== null && levelRank(env.page.level) >= levelRank(settings.minLevel) && !env.ownServer;
    if (!wanted) {
      if (shown) hide();
      return;
    }
    paint();
    if (!shown) {
      shown = true;
      guard();
      minuteTimer = setInterval(paint, 60_000);
    }
  }

  signal.addEventListener('abort', hide, { once: true });
  return { refresh };
}
