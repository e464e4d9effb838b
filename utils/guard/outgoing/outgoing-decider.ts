/**
 * The decider handed to the MAIN-world hooks (installOutgoingGuards): text leaving by
 * clipboard API, form submit, fetch/XHR/beacon or upload.
 *
 * Provenance (page level) applies to 'copy' (navigator.clipboard.writeText is a copy
 * from this page) but not to submit/request/upload: every request of a 机密 page to a
 * non-internal origin (analytics, fonts, search) would be blocked otherwise. Those
 * are judged on the data they carry.
 */
import { isBlocking } from '../../policy/decide';
import { decideData } from '../decide-data';
import type { GuardEnv } from '../guard-env';
import { recordDecision, report } from '../report';

export type OutgoingChannel = 'submit' | 'request' | 'upload' | 'copy';
export type OutgoingDecider = (text: string, channel: OutgoingChannel, destinationOrigin: string | null) => Promise<{ blocked: boolean }>;

export function createOutgoingDecider(env: GuardEnv): OutgoingDecider {
  return async (text, channel, destinationOrigin) => {
    const copy = channel === 'copy';
    const decision = decideData(env, [text], {
      channel,
      sourceOrigin: env.origin,
      destinationOrigin: copy ? null : destinationOrigin,
      sourceLevel: copy ? env.page.markerLevel : null,
    });
    const blocked = isBlocking(decision.verdict.action);
    if (blocked) report(env, decision);
    else recordDecision(env, decision);
    return { blocked };
  };
}
