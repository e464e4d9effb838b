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

export function eventsToCsv(items: readonly EventItem[], ruleNames: ReadonlyMap<string, string>): string {
  const lines = [HEADER.map(csvCell).join(',')];
  for (const event of items) {
    const masked = (event.findings as { masked?: unknown }[])
      .map((finding) => (typeof finding.masked === 'string' ? finding.masked : ''))
      .filter(Boolean);
    const rule = event.ruleId ? (ruleNames.get(event.ruleId) ?? event.ruleId) : '';
    lines.push(
      [
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
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
