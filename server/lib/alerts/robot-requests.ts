/**
 * The HTTP request each webhook kind expects, and how its answer says success, as the
 * robots document them:
 * - 企业微信 group robot: POST the webhook URL (`…/cgi-bin/webhook/send?key=…`) with
 *   `{"msgtype":"markdown","markdown":{"content":…}}`; answers `{"errcode":0,"errmsg":"ok"}`.
 * - 钉钉 custom robot: POST `…/robot/send?access_token=…` (+ `&timestamp=&sign=` when 加签)
 *   with `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`; answers `errcode` 0.
 * - 飞书 custom bot: POST `…/open-apis/bot/v2/hook/…` with a rich-text `post`
 *   (`{"msg_type":"post","content":{"post":{"zh_cn":{"title":…,"content":[[{"tag":"text",…}]]}}}}`,
 *   `timestamp` and `sign` in the body when 签名校验 is on); answers `{"code":0,…}`.
 * - Generic JSON webhook: our own body (below), any 2xx is success.
 * Pure: the caller sends (delivery.ts).
 */
import type { WebhookKind } from './channel-config';
import { alertMarkdown, alertMarkdownWithin, alertText, type AlertContent } from './alert-content';
import { dingtalkSign, feishuSign, webhookSignature } from './signers';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What our generic webhook receives (documented in docs/ARCHITECTURE.md). */
export interface GenericWebhookBody {
  type: 'override-requested' | 'test';
  request: AlertContent['request'];
  link: string | null;
  /** The whole message as plain text, zh-CN first. */
  text: string;
}

/** 企业微信's bound on a Markdown message's content (UTF-8 bytes). */
export const WECOM_MARKDOWN_BYTES = 4096;

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

function withQuery(url: string, params: Record<string, string>): string {
  const joined = Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${joined}`;
}

/** 飞书 rich text: one paragraph per line, both languages in one post, the link as a link. */
function feishuPost(content: AlertContent) {
  const paragraphs: object[][] = [];
  content.blocks.forEach((block, index) => {
    const colon = index === 0 ? '：' : ': ';
    if (index > 0) paragraphs.push([{ tag: 'text', text: '' }], [{ tag: 'text', text: block.title }]);
    for (const line of block.lines) paragraphs.push([{ tag: 'text', text: `${line.label}${colon}${line.value}` }]);
    if (content.link) paragraphs.push([{ tag: 'a', text: block.linkLabel, href: content.link }]);
  });
  return { post: { zh_cn: { title: content.blocks[0].title, content: paragraphs } } };
}

export function buildWebhookRequest(
  kind: WebhookKind,
  target: { url: string; secret: string | null },
  content: AlertContent,
  now: Date,
): WebhookRequest {
  const { url, secret } = target;
  switch (kind) {
    case 'wecom': {
      const markdown = alertMarkdownWithin(content, WECOM_MARKDOWN_BYTES);
      return { url, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }) };
    }
    case 'dingtalk': {
      const signed = secret ? withQuery(url, { timestamp: String(now.getTime()), sign: dingtalkSign(secret, now.getTime()) }) : url;
      const body = { msgtype: 'markdown', markdown: { title: content.blocks[0].title, text: alertMarkdown(content) } };
      return { url: signed, headers: JSON_HEADERS, body: JSON.stringify(body) };
    }
    case 'feishu': {
      const seconds = Math.floor(now.getTime() / 1000);
      const signature = secret ? { timestamp: String(seconds), sign: feishuSign(secret, seconds) } : {};
      return { url, headers: JSON_HEADERS, body: JSON.stringify({ ...signature, msg_type: 'post', content: feishuPost(content) }) };
    }
    case 'webhook': {
      const payload: GenericWebhookBody = {
        type: content.test ? 'test' : 'override-requested',
        request: content.request,
        link: content.link,
        text: alertText(content),
      };
      const body = JSON.stringify(payload);
      const seconds = Math.floor(now.getTime() / 1000);
      const headers: Record<string, string> = secret
        ? { ...JSON_HEADERS, 'X-Baomi-Timestamp': String(seconds), 'X-Baomi-Signature': webhookSignature(secret, seconds, body) }
        : { ...JSON_HEADERS };
      return { url, headers, body };
    }
  }
}

/** Why an answer is not a success, in the remote's own words; null for success. */
export function answerProblem(kind: WebhookKind, status: number, text: string): { code: string; detail: string } | null {
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (status < 200 || status >= 300) return { code: 'http-status', detail: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}` };
  if (kind === 'webhook') return null;
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { code: 'remote-error', detail: `HTTP ${status}, not a JSON answer: ${excerpt}` };
  }
  if (kind === 'feishu') {
    const code = answer.code ?? answer.StatusCode;
    if (code === 0) return null;
    return { code: 'remote-error', detail: `code ${String(code)}: ${String(answer.msg ?? answer.StatusMessage ?? '')}`.slice(0, 300) };
  }
  if (answer.errcode === 0) return null;
  return { code: 'remote-error', detail: `errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')}`.slice(0, 300) };
}
