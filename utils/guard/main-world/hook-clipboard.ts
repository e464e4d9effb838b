/**
 * Async Clipboard API: writeText(text) and write([ClipboardItem]) (text/plain and text/html
 * parts). Blocked: rejects with NotAllowedError, as a denied clipboard permission does.
 * execCommand('copy') fires a copy event, which the isolated-world copy guard handles.
 */
import type { MainBridge } from '../bridge/bridge-main';
import { joinText } from '../outgoing/outgoing-text';
import type { Intrinsics } from './intrinsics';
import { replaceMethod } from './native';

const TEXT_TYPES = ['text/plain', 'text/html'];

export function hookClipboard(win: Window & typeof globalThis, bridge: MainBridge, intr: Intrinsics): void {
  const { apply } = intr;
  // Clipboard exists only in secure contexts.
  const proto = (win as { Clipboard?: typeof Clipboard }).Clipboard?.prototype;
  if (!proto) return;
  const denied = () => new intr.DOMException('Write permission denied.', 'NotAllowedError');

  replaceMethod<Clipboard['writeText']>(
    proto,
    'writeText',
    (original) =>
      ({
        writeText(this: Clipboard, data: string) {
          if (arguments.length === 0) return apply(original, this, []) as Promise<void>;
          const text = String(data);
          const self = this;
          return (async () => {
            if (await bridge.ask('copy', text, null)) throw denied();
            return (await apply(original, self, [text])) as void;
          })();
        },
      }).writeText,
    intr,
  );

  replaceMethod<Clipboard['write']>(
    proto,
    'write',
    (original) =>
      ({
        write(this: Clipboard, data: ClipboardItems) {
          if (arguments.length === 0 || data === null || typeof data !== 'object') return apply(original, this, arguments) as Promise<void>;
          const items: ClipboardItem[] = [];
          for (let i = 0; i < (data as ArrayLike<ClipboardItem>).length; i++) items[i] = (data as ArrayLike<ClipboardItem>)[i]!;
          const self = this;
          return (async () => {
            const parts: string[] = [];
            for (const item of items) {
              for (const type of TEXT_TYPES) {
                if (!item?.types?.includes(type)) continue;
                try {
                  const blob = await item.getType(type);
                  const text = (await apply(intr.blobText, blob, [])) as string;
                  parts.push(type === 'text/html' ? htmlText(text, intr) : text);
                } catch {
                  // a rejected item makes the real write reject as well
                }
              }
            }
            if (await bridge.ask('copy', joinText(parts), null)) throw denied();
            return (await apply(original, self, [items])) as void;
          })();
        },
      }).write,
    intr,
  );
}

/** Visible text of an HTML fragment plus its raw markup (attributes can carry data too). */
function htmlText(html: string, intr: Intrinsics): string {
  try {
    const doc = new intr.DOMParser().parseFromString(html, 'text/html');
    return `${doc.body?.textContent ?? ''}\n${html}`;
  } catch {
    return html;
  }
}
