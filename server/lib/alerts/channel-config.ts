/**
 * What an approval-alert channel is: its kind, where it sends and how it signs. The
 * console's form posts `channelInputSchema`; URLs and secrets are write-only (the console
 * gets `urlHint` and `hasSecret`, never the values).
 */
import { z } from 'zod';

/** 企业微信 group robot, 钉钉 custom robot, 飞书 custom bot, a JSON webhook of your own, e-mail over SMTP. */
export const ALERT_KINDS = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type WebhookKind = Exclude<AlertKind, 'email'>;

export const isWebhookKind = (kind: AlertKind): kind is WebhookKind => kind !== 'email';

/** implicit TLS (465), STARTTLS required (587), or plain (a relay inside the company network). */
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;

export const emailSettingsSchema = z
  .object({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    security: z.enum(SMTP_SECURITY),
    /** SMTP login; empty: the relay takes mail without one. The password is the channel's secret. */
    username: z.string().trim().max(200).default(''),
    from: z.email().max(254),
    to: z.array(z.email().max(254)).min(1).max(20),
  })
  .strict();
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => !/[\s]/.test(value), { message: 'no spaces in a URL' });

/**
 * Create and update. On update an omitted `url` keeps the stored one, `secret` omitted
 * keeps it and `null` removes it (write-only fields the console never reads back).
 */
export const channelInputSchema = z
  .object({
    kind: z.enum(ALERT_KINDS),
    name: z.string().trim().min(1).max(60),
    enabled: z.boolean(),
    url: webhookUrl.optional(),
    secret: z.string().trim().min(1).max(500).nullable().optional(),
    email: emailSettingsSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === 'email' && !input.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'SMTP settings are required' });
    if (input.kind !== 'email' && input.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'only for e-mail channels' });
    if (input.kind === 'email' && input.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'e-mail channels have no URL' });
  });
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** A channel as the dispatcher uses it: secrets opened. */
export interface AlertChannel {
  id: string;
  kind: AlertKind;
  name: string;
  enabled: boolean;
  url: string | null;
  secret: string | null;
  email: EmailSettings | null;
}

/**
 * The URL as the console shows it: scheme, host and path, with every path segment or
 * query value long enough to be a token cut to its last 4 characters (a 企业微信 `key`,
 * a 钉钉 `access_token`, a 飞书 hook id are the robot's password).
 */
export function urlHint(value: string): string {
  const url = new URL(value);
  const cut = (part: string) => (part.length >= 12 ? `…${part.slice(-4)}` : part);
  const path = url.pathname
    .split('/')
    .map((segment) => cut(segment))
    .join('/');
  const query = [...url.searchParams].map(([key, item]) => `${key}=${cut(item)}`).join('&');
  return `${url.protocol}//${url.host}${path}${query ? `?${query}` : ''}`;
}
