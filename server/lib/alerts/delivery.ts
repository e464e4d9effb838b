/**
 * Sends one alert to one channel: the robots and the JSON webhook over HTTP (fetch with a
 * timeout, redirects not followed: a signed body goes only where the admin pointed it),
 * e-mail over SMTP with nodemailer. Any failure is an AlertDeliveryError whose `detail`
 * is the remote's own answer (the console shows it, the outbox keeps it).
 */
import nodemailer from 'nodemailer';
import { alertText, type AlertContent } from './alert-content';
import type { AlertChannel, EmailSettings } from './channel-config';
import { answerProblem, buildWebhookRequest } from './robot-requests';

export class AlertDeliveryError extends Error {
  constructor(
    /** http-status · remote-error · network · timeout · smtp · channel-unusable · request-gone */
    readonly code: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.name = 'AlertDeliveryError';
  }
}

export interface DeliveryOptions {
  now: Date;
  /** Per request (HTTP) or per SMTP stage; 15 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

async function postWebhook(channel: AlertChannel, content: AlertContent, options: DeliveryOptions): Promise<void> {
  if (channel.kind === 'email' || !channel.url) throw new AlertDeliveryError('channel-unusable', 'no URL');
  const request = buildWebhookRequest(channel.kind, { url: channel.url, secret: channel.secret }, content, options.now);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (cause) {
    const error = cause as Error & { cause?: { code?: string; message?: string } };
    if (error.name === 'TimeoutError')
      throw new AlertDeliveryError('timeout', `no answer within ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`, { cause });
    const inner = error.cause;
    throw new AlertDeliveryError('network', inner?.code ? `${inner.code}${inner.message ? ` (${inner.message})` : ''}` : error.message, {
      cause,
    });
  }
  const text = await response.text().catch(() => '');
  const problem = answerProblem(channel.kind, response.status, text);
  if (problem) throw new AlertDeliveryError(problem.code, problem.detail);
}

/** The subject: both titles, zh-CN first. */
export function emailSubject(content: AlertContent): string {
  return `${content.blocks[0].title} / ${content.blocks[1].title}`;
}

async function sendMail(settings: EmailSettings, password: string | null, content: AlertContent, options: DeliveryOptions): Promise<void> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    auth: settings.username ? { user: settings.username, pass: password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    await transport.sendMail({ from: settings.from, to: settings.to, subject: emailSubject(content), text: alertText(content) });
  } catch (cause) {
    const error = cause as Error & { code?: string; response?: string };
    throw new AlertDeliveryError('smtp', [error.code, error.response ?? error.message].filter(Boolean).join(': ').slice(0, 300), { cause });
  } finally {
    transport.close();
  }
}

export async function deliverAlert(channel: AlertChannel, content: AlertContent, options: DeliveryOptions): Promise<void> {
  if (channel.kind === 'email') {
    if (!channel.email) throw new AlertDeliveryError('channel-unusable', 'no SMTP settings');
    return sendMail(channel.email, channel.secret, content, options);
  }
  return postWebhook(channel, content, options);
}
