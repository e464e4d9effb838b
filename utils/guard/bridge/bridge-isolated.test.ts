import { describe, expect, it } from 'vitest';
import type { DetectorSettings } from '../../detect/types';
import { DEFAULT_POLICY } from '../../policy/default-policy';
import { parseDecideRequest, startIsolatedBridge } from './bridge-isolated';
import { BRIDGE_MAIN_HELLO } from './bridge-protocol';
import { MAX_OUTGOING_TEXT } from '../outgoing/outgoing-text';

const REQUEST = { kind: 'decide', id: 1, channel: 'request', text: 'a=1', destination: 'https://x.example' };

describe('parseDecideRequest (what the MAIN world may ask)', () => {
  it('accepts a well-formed request', () => {
    expect(parseDecideRequest(REQUEST)).toEqual(REQUEST);
    expect(parseDecideRequest({ ...REQUEST, destination: null })).toEqual({ ...REQUEST, destination: null });
  });

  it.each<[string, unknown]>([
    ['not an object', 'decide'],
    ['null', null],
    ['an array', [REQUEST]],
    ['another kind', { ...REQUEST, kind: 'verdict' }],
    ['an extra field (could smuggle an answer)', { ...REQUEST, blocked: false }],
    ['a zero id', { ...REQUEST, id: 0 }],
    ['a fractional id', { ...REQUEST, id: 1.5 }],
    ['an id as a string', { ...REQUEST, id: '1' }],
    ['a channel the bridge does not serve', { ...REQUEST, channel: 'print' }],
    ['text too long', { ...REQUEST, text: 'x'.repeat(MAX_OUTGOING_TEXT + 65) }],
    ['text missing', { ...REQUEST, text: undefined }],
    ['destination missing', { kind: 'decide', id: 1, channel: 'request', text: '' }],
    ['destination too long', { ...REQUEST, destination: 'x'.repeat(301) }],
  ])('rejects %s', (_name, data) => {
    expect(parseDecideRequest(data)).toBeNull();
  });
});

describe('startIsolatedBridge: detectors pushed, lifecycle by signal', () => {
  /** A window at document_start: nothing parsed yet; postMessage hands over the transferred port. */
  function earlyWindow() {
    const target = new EventTarget();
    let port: MessagePort | null = null;
    const win = Object.assign(target, {
      document: { readyState: 'loading', documentElement: null },
      setTimeout: (fn: () => void, ms?: number) => setTimeout(fn, ms),
      postMessage: (_message: unknown, _origin: string, transfer: MessagePort[]) => {
        port = transfer[0] ?? null;
      },
    });
    return { win: win as unknown as Window, port: () => port };
  }

  async function connect(detectors: () => DetectorSettings) {
    const { win, port } = earlyWindow();
    const controller = new AbortController();
    const bridge = startIsolatedBridge(win, async () => ({ blocked: false }), { detectors, signal: controller.signal });
    win.dispatchEvent(new CustomEvent(BRIDGE_MAIN_HELLO));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const received: unknown[] = [];
    port()!.onmessage = (event) => received.push(event.data);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    await settle();
    return { bridge, controller, received, settle, main: port()! };
  }

  it('sends the detectors on connect and again only when a policy change pushes different ones', async () => {
    let current: DetectorSettings = DEFAULT_POLICY.detectors;
    const { bridge, received, settle, main } = await connect(() => current);
    expect(received).toEqual([{ kind: 'detectors', detectors: DEFAULT_POLICY.detectors }]);

    bridge.pushDetectors(); // unchanged: nothing sent
    await settle();
    expect(received).toHaveLength(1);

    current = { ...current, email: { ...current.email, enabled: !current.email.enabled } };
    bridge.pushDetectors();
    await settle();
    expect(received).toEqual([
      { kind: 'detectors', detectors: DEFAULT_POLICY.detectors },
      { kind: 'detectors', detectors: current },
    ]);
    main.close();
  });

  it('the guard lifecycle ends the bridge: abort tells the MAIN world it is closed', async () => {
    const { controller, received, settle, main } = await connect(() => DEFAULT_POLICY.detectors);
    controller.abort();
    await settle();
    expect(received.at(-1)).toEqual({ kind: 'closed' });
    main.close();
  });
});
