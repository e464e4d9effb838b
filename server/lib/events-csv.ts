/**
 * Events as CSV for the auditor: UTF-8 with BOM (Excel reads the Chinese), the console's
 * current filters, masked samples only (never a hash, never a raw value: the server
 * never had one), rules by their readable description as the current policy has it.
 */
import type { EventItem } from '../db/repositories/events';
import { csvCell } from './report-csv';

const HEADER = [
  '时间 / Time (UTC)',
  '类型 / Kind',
  '用户 / User',
  '部门 / Department',
  '设备 / Device',
  '网站 / Site',
  '目的地 / Destination',
  '渠道 / Channel',
  '密级 / Level',
  '处理 / Action',
  '规则 / Rule',
  '发现数 / Findings',
  '脱敏样本 / Masked samples',
];

/** The CSV's first line (with the BOM that makes Excel read UTF-8) and its line end. */
export function eventsCsvHeader(): string {
  return `\uFEFF${HEADER.map(csvCell).join(',')}\r\n`;
}

/** One event as one CSV line, line end included. */
export function eventCsvLine(event: EventItem, ruleNames: ReadonlyMap<string, string>): string {
  const masked = (event.findings as { masked?: unknown }[])
    .map((finding) => (typeof finding.masked === 'string' ? finding.masked : ''))
    .filter(Boolean);
  const rule = event.ruleId ? (ruleNames.get(event.ruleId) ?? event.ruleId) : '';
  return `${[
    event.time,
    event.kind,
    event.userId,
    event.department ?? '',
    event.deviceId,
    event.origin,
    event.destination ?? '',
    event.channel ?? '',
    event.level ?? '',
    event.action,
    rule,
    event.findingCount,
    [...new Set(masked)].join(' '),
  ]
    .map(csvCell)
    .join(',')}\r\n`;
}

export function eventsToCsv(items: readonly EventItem[], ruleNames: ReadonlyMap<string, string>): string {
  return eventsCsvHeader() + items.map((event) => eventCsvLine(event, ruleNames)).join('');
}

export interface CsvStreamEnd {
  rows: number;
  /** false when the reader went away (or a page failed) before the last row. */
  complete: boolean;
}

/**
 * The CSV as a byte stream pulled page by page: the next page is read only when the
 * socket took the last one (backpressure), so memory holds one page whatever the
 * export's size, and between pages the event loop serves devices. `onEnd` runs once.
 */
export function eventsCsvStream(
  pages: AsyncGenerator<EventItem[], void, undefined>,
  ruleNames: ReadonlyMap<string, string>,
  onEnd: (end: CsvStreamEnd) => Promise<void> | void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let rows = 0;
  let ended = false;
  const finish = async (complete: boolean) => {
    if (ended) return;
    ended = true;
    await onEnd({ rows, complete });
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(eventsCsvHeader()));
      },
      async pull(controller) {
        let next: IteratorResult<EventItem[]>;
        try {
          // A macrotask between pages: better-sqlite3 answers synchronously, so without it a
          // whole export ran in microtasks and device uploads waited for its end.
          await new Promise<void>((resolve) => setImmediate(resolve));
          next = await pages.next();
        } catch (error) {
          await finish(false);
          controller.error(error);
          return;
        }
        if (next.done) {
          await finish(true);
          controller.close();
          return;
        }
        rows += next.value.length;
        controller.enqueue(encoder.encode(next.value.map((event) => eventCsvLine(event, ruleNames)).join('')));
      },
      async cancel() {
        await pages.return();
        await finish(false);
      },
    },
    // One page queued ahead at most.
    { highWaterMark: 1 },
  );
}
