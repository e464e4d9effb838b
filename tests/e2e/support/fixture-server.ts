/**
 * Serves tests/e2e/fixtures on 127.0.0.1, on two ports: two origins, so a page on
 * one can frame a page of the other (a cross-origin iframe). Also generates the
 * benchmark pages: /gen/table.html?rows=N (customer table) and /gen/chat.html?messages=N.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

export const FIXTURE_DIR = resolve('tests/e2e/fixtures');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface FixtureServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** A second origin serving the same files. */
  otherOrigin: string;
  url(path: string): string;
  otherUrl(path: string): string;
  close(): Promise<void>;
}

const SURNAMES = '张王李赵刘陈杨黄周吴';

/** A deterministic mobile number for row i (valid prefix 138/139/150…). */
export function phoneFor(i: number): string {
  const prefixes = ['138', '139', '150', '186', '177'];
  return prefixes[i % prefixes.length] + String(10_000_000 + ((i * 7_919) % 89_999_999)).padStart(8, '0');
}

export function tableHtml(rows: number, marker = '密级：机密'): string {
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    body.push(
      `<tr><td>${i + 1}</td><td>${SURNAMES[i % 10]}客户${i}</td><td>${phoneFor(i)}</td><td>北京市朝阳区建国路${i % 300}号</td><td>2024-0${(i % 9) + 1}-1${i % 10}</td></tr>`,
    );
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>客户列表</title></head><body>
<h1>客户列表 <small>${marker}</small></h1>
<table id="customers"><thead><tr><th>序号</th><th>客户</th><th>电话</th><th>地址</th><th>日期</th></tr></thead>
<tbody>${body.join('')}</tbody></table></body></html>`;
}

export function chatHtml(messages: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>客服会话</title></head><body>
<div id="log"></div>
<script>
  const log = document.getElementById('log');
  const total = ${messages};
  let sent = 0;
  function phone(i) { return ['138','139','150','186','177'][i % 5] + String(10000000 + (i * 7919) % 89999999).padStart(8, '0'); }
  function batch() {
    const end = Math.min(total, sent + 50);
    for (; sent < end; sent++) {
      const div = document.createElement('div');
      div.className = 'msg';
      div.innerHTML = '<b>客户' + sent + '</b>：您好，我的电话是 <span>' + phone(sent) + '</span>，请回电。';
      log.appendChild(div);
    }
    if (sent < total) setTimeout(batch, 0); else { window.__chatDone = performance.now(); document.title = 'done'; }
  }
  batch();
</script></body></html>`;
}

/** Export libraries from npm, served to the download fixture pages as a CRM would bundle them. */
const LIBRARIES: Record<string, string> = {
  'xlsx.js': 'node_modules/xlsx/dist/xlsx.full.min.js',
  'file-saver.js': 'node_modules/file-saver/dist/FileSaver.min.js',
  'jspdf.js': 'node_modules/jspdf/dist/jspdf.umd.min.js',
  'tabulator.js': 'node_modules/tabulator-tables/dist/js/tabulator.min.js',
  'papaparse.js': 'node_modules/papaparse/papaparse.min.js',
  'docx.js': 'node_modules/docx/dist/index.iife.js',
};

/** A CRM's own export endpoint: the file comes from the server (Content-Disposition: attachment). */
function exportFile(name: string): { status: number; type: string; body: string | Buffer; headers?: Record<string, string> } | null {
  const attachment = (filename: string, type: string, body: string | Buffer) => ({
    status: 200,
    type,
    body,
    headers: { 'content-disposition': `attachment; filename="${filename}"` },
  });
  if (name === 'customers.csv') {
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1},客户${i},${phoneFor(i)}`);
    return attachment('customers.csv', 'text/csv; charset=utf-8', `\ufeff序号,客户,电话\n${rows.join('\n')}\n`);
  }
  if (name === 'price-list.csv') return attachment('price-list.csv', 'text/csv; charset=utf-8', '产品,单价\n打印纸,25\n墨盒,180\n');
  return null;
}

async function handle(path: string): Promise<{ status: number; type: string; body: string | Buffer; headers?: Record<string, string> }> {
  const url = new URL(path, 'http://x');
  if (url.pathname.startsWith('/lib/')) {
    const file = LIBRARIES[url.pathname.slice(5)];
    if (!file) return { status: 404, type: 'text/plain', body: 'not found' };
    return { status: 200, type: TYPES['.js']!, body: await readFile(resolve(file)) };
  }
  if (url.pathname.startsWith('/export/')) {
    const exported = exportFile(url.pathname.slice(8));
    if (exported) return exported;
  }
  if (url.pathname === '/gen/table.html') {
    return {
      status: 200,
      type: TYPES['.html']!,
      body: tableHtml(Number(url.searchParams.get('rows') ?? 10_000), url.searchParams.get('marker') ?? '密级：机密'),
    };
  }
  if (url.pathname === '/gen/chat.html') {
    return { status: 200, type: TYPES['.html']!, body: chatHtml(Number(url.searchParams.get('messages') ?? 5_000)) };
  }
  const file = normalize(join(FIXTURE_DIR, decodeURIComponent(url.pathname)));
  if (!file.startsWith(FIXTURE_DIR)) return { status: 403, type: 'text/plain', body: 'forbidden' };
  try {
    return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

function listen(): Promise<Server> {
  const server = createServer((req, res) => {
    void handle(req.url ?? '/').then(({ status, type, body, headers }) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    });
  });
  return new Promise((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen(server)));
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const [first, second] = await Promise.all([listen(), listen()]);
  const origin = `http://127.0.0.1:${(first.address() as AddressInfo).port}`;
  const otherOrigin = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
  return {
    origin,
    otherOrigin,
    url: (path) => origin + path,
    otherUrl: (path) => otherOrigin + path,
    close: () =>
      Promise.all([first, second].map((server) => new Promise<void>((done) => server.close(() => done())))).then(() => undefined),
  };
}
