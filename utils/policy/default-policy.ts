import { DEFAULT_DETECTORS } from '../detect/defaults';
import type { Policy } from './schema';
import { DEFAULT_DOWNLOAD_SETTINGS } from './vocabulary';

/**
 * The built-in policy: used when no server is enrolled or no signed policy was ever
 * received. It already protects (see docs/ARCHITECTURE.md "Default policy").
 */
export const DEFAULT_POLICY: Policy = {
  schemaVersion: 1,
  version: 0,
  name: '内置默认策略 / Built-in default policy',
  language: 'zh-CN',
  internalOrigins: [],
  detectors: DEFAULT_DETECTORS,
  rules: [
    {
      id: 'no-copy-out',
      channels: ['copy', 'cut', 'drag'],
      minLevel: '秘密',
      source: 'any',
      destination: 'any',
      action: 'block-with-override',
      description: '禁止复制、剪切、拖出客户信息 / No copying customer data',
    },
    {
      id: 'no-forward-external',
      channels: ['paste', 'submit', 'request', 'upload'],
      minLevel: '秘密',
      source: 'any',
      destination: 'external',
      action: 'block-with-override',
      description: '禁止向非内部网站转发客户信息 / No forwarding to non-internal sites',
    },
    {
      id: 'internal-forward-audit',
      channels: ['paste', 'submit', 'request', 'upload'],
      minLevel: '秘密',
      source: 'any',
      destination: 'internal',
      action: 'audit',
      description: '内部系统之间传递：记录 / Between internal systems: recorded',
    },
    {
      id: 'no-export-file',
      channels: ['download'],
      minLevel: '秘密',
      source: 'any',
      destination: 'any',
      action: 'block-with-override',
      description: '禁止导出、下载含客户信息的文件（导出权限仅限IT管理员） / No exporting files with customer data',
    },
    {
      id: 'print-watermark',
      channels: ['print'],
      minLevel: '秘密',
      source: 'any',
      destination: 'any',
      action: 'warn',
      description: '打印密级页面须加“受控文件”水印 / Classified pages print with a watermark',
    },
    {
      id: 'print-top-secret',
      channels: ['print'],
      minLevel: '绝密',
      source: 'any',
      destination: 'any',
      action: 'block-with-override',
      description: '绝密页面禁止打印 / Top-secret pages may not be printed',
    },
  ],
  bulk: { threshold: 20, level: '机密' },
  watermark: { enabled: true, text: '受控文件 {level} · {user} · {date} · 使用期限 {period}', periodDays: 30 },
  overrides: { allowed: true, maxDurationMinutes: 8 * 60 },
  downloads: DEFAULT_DOWNLOAD_SETTINGS,
  sync: { intervalMinutes: 5, staleAfterHours: 72 },
};
