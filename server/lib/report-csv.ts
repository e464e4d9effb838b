/** The monthly report as CSV: UTF-8 with BOM (Excel then reads the Chinese), one section per table. */
import type { BorrowEntry, MonthlyReport } from '../db/repositories/reports';

/** Quotes a cell; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportToCsv(r: MonthlyReport, ruleNames: ReadonlyMap<string, string> = new Map()): string {
  const lines: string[] = [];
  const row = (...cells: (string | number)[]) => lines.push(cells.map(csvCell).join(','));
  row('客户信息保密风险评估表 / Monthly customer-information risk assessment', r.month);
  row('区间 / Range (UTC)', r.from, r.to);
  row('');
  row('汇总 / Totals', '数量 / Count');
  row('事件 / Events', r.totals.events);
  row('阻止 / Blocked', r.totals.blocked);
  row('警告 / Warned', r.totals.warned);
  row('记录 / Audited', r.totals.audited);
  row('发现 / Findings', r.totals.findings);
  row('涉及员工 / Users', r.totals.users);
  row('设备总数 / Devices', r.devices);
  row('失联设备 / Stale devices', r.staleDevices);
  row('例外申请 / Override requests', r.overrides.requested);
  row('批准 / Approved', r.overrides.approved);
  row('拒绝 / Denied', r.overrides.denied);
  row('');
  row('密级 / Level', '数量 / Count');
  for (const [k, v] of Object.entries(r.byLevel)) row(k, v);
  row('');
  row('渠道 / Channel', '数量 / Count');
  for (const [k, v] of Object.entries(r.byChannel)) row(k, v);
  row('');
  row('部门 / Department', '数量 / Count');
  for (const d of r.byDepartment) row(d.department, d.count);
  row('');
  row('员工 / User', '部门 / Department', '数量 / Count', '阻止 / Blocked');
  for (const u of r.byUser) row(u.userId, u.department ?? '', u.count, u.blocked);
  row('');
  row('目标 / Destination', '数量 / Count');
  for (const d of r.topDestinations) row(d.destination, d.count);
  row('');
  row('环比 / Month on month', r.previous.month, r.month);
  row('事件 / Events', r.previous.events, r.totals.events);
  row('阻止 / Blocked', r.previous.blocked, r.totals.blocked);
  row('');
  row('规则 / Rule', '数量 / Count');
  for (const rule of r.topRules) row(ruleNames.get(rule.ruleId) ?? rule.ruleId, rule.count);
  row('');
  row('客户信息借阅记录 / Borrow register');
  row(
    '申请时间 / Requested',
    '申请人 / Requester',
    '部门 / Department',
    '审批人 / Approver',
    '理由 / Reason',
    '网站 / Site',
    '渠道 / Channel',
    '密级 / Level',
    '批准时间 / Approved',
    '时长（分钟）/ Minutes',
    '有效至 / Valid until',
    '结束 / Ended',
    '结束时间 / Ended at',
    '批准范围 / Scope',
    '已使用次数 / Times used',
  );
  const ended = { active: '生效中 / active', expired: '到期 / expired', revoked: '撤销 / revoked' } as const;
  for (const b of r.borrowRegister) {
    row(
      b.requestedAt,
      b.userId,
      b.department ?? '',
      b.approver ?? '',
      b.reason,
      b.origin,
      b.channel,
      b.level ?? '',
      b.approvedAt ?? '',
      b.minutes,
      b.expiresAt ?? '',
      ended[b.ended],
      b.endedAt ?? '',
      scopeCell(b.scope),
      b.used,
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** A grant's scope in both languages, for the CSV (the console words it from its catalogue). */
function scopeCell(scope: BorrowEntry['scope']): string {
  if (!scope) return '时间窗口 / time window';
  const zh: string[] = [];
  const en: string[] = [];
  if (scope.scope === 'content') {
    zh.push(`仅此内容 ${scope.uses ?? 1} 次`);
    en.push(`only this content, ${scope.uses ?? 1}×`);
  } else {
    zh.push('时间窗口');
    en.push('time window');
  }
  if (scope.maxLevel) {
    zh.push(`最高${scope.maxLevel}`);
    en.push(`up to ${scope.maxLevel}`);
  }
  if (scope.maxFindings !== undefined) {
    zh.push(`每次不超过 ${scope.maxFindings} 个号码`);
    en.push(`at most ${scope.maxFindings} numbers each`);
  }
  if (scope.liftBulk) {
    zh.push('含批量操作');
    en.push('bulk included');
  }
  return `${zh.join('，')} / ${en.join(', ')}`;
}
