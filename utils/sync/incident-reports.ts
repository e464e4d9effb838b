/**
 * Leak reports from the popup (domain policy article 13: report at once). They travel like
 * override requests: stored first with an id made here, then sent; "sent" only once the
 * server stored the report, else it stays queued and every sync sends it again.
 */
import { uuidv7 } from '../events/uuid-v7';
import { incidentReportsItem, type Enrollment, type IncidentReportRecord } from '../storage';
import { ApiRequestError, type ApiClient } from './api-client';

/** Reports kept on the device once the server has them (unsent ones are never dropped). */
const KEEP = 50;

export function createIncidentReporter(options: { now: () => number; client: (enrollment: Enrollment) => Promise<ApiClient> }) {
  let lock: Promise<unknown> = Promise.resolve();
  function withReports<T>(change: (reports: IncidentReportRecord[]) => Promise<T>): Promise<T> {
    const run = lock.then(async () => {
      const reports = await incidentReportsItem.getValue();
      const result = await change(reports);
      // Keep every unsent report; trim only what the server already has.
      const unsent = reports.filter((report) => report.state === 'queued');
      const rest = reports.filter((report) => report.state !== 'queued').slice(0, Math.max(0, KEEP - unsent.length));
      await incidentReportsItem.setValue(reports.filter((report) => unsent.includes(report) || rest.includes(report)));
      return result;
    });
    lock = run.catch(() => undefined);
    return run;
  }

  /** Sends one report; the record takes the server's answer (or stays queued when unreachable). */
  async function deliver(enrollment: Enrollment, record: IncidentReportRecord): Promise<void> {
    const api = await options.client(enrollment);
    try {
      const receipt = await api.reportIncident({
        incidentId: record.id,
        description: record.description,
        origin: record.origin,
        occurredAt: record.occurredAt,
        userId: enrollment.userId,
        department: enrollment.department,
      });
      record.state = 'sent';
      record.status = receipt.status;
      record.error = null;
    } catch (error) {
      if (error instanceof ApiRequestError && !error.retryable) {
        record.state = 'failed';
        record.error = error.code;
        return;
      }
      record.state = 'queued';
    }
  }

  return {
    /** Stores the report, then tries to send it: `delivered` only when the server stored it. */
    async report(
      enrollment: Enrollment,
      input: { description: string; origin: string | null },
    ): Promise<IncidentReportRecord & { delivered: boolean }> {
      const record: IncidentReportRecord = {
        id: uuidv7(options.now()),
        description: input.description.trim(),
        origin: input.origin,
        occurredAt: new Date(options.now()).toISOString(),
        state: 'queued',
        status: null,
        error: null,
      };
      await withReports(async (reports) => {
        reports.unshift(record);
      });
      await deliver(enrollment, record);
      await withReports(async (reports) => {
        const index = reports.findIndex((report) => report.id === record.id);
        if (index >= 0 && reports[index]!.state === 'queued') reports[index] = record;
      });
      return { ...record, delivered: record.state === 'sent' };
    },

    /** Reports queued while the server was out of reach: sent at each sync, oldest first. */
    async sendQueued(enrollment: Enrollment): Promise<void> {
      await withReports(async (reports) => {
        for (const record of reports.filter((report) => report.state === 'queued').reverse()) {
          await deliver(enrollment, record);
          if (record.state === 'queued') throw new ApiRequestError('server unreachable for queued incident reports', 0, 'network');
        }
      });
    },
  };
}
