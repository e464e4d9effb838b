/**
 * The console's heavy reads on SQLite, off the main event loop (issue 28): a worker
 * thread with its own read-only better-sqlite3 connection. better-sqlite3 is synchronous,
 * so a 3-second report on the main thread was 3 seconds in which no device upload, key
 * fetch or heartbeat was answered; under WAL a reader and the writer do not wait for each
 * other, so the main thread keeps taking uploads while the worker reads.
 *
 * A Kysely dialect like the SQLite one, whose driver sends each compiled query to the
 * worker and awaits its rows. Reads only: a write or a transaction is refused (writes
 * stay on the main connection, which holds the write fast path and the migrations).
 * The worker's code is plain CommonJS given to `new Worker(…, { eval: true })`, so it
 * runs the same under tsx, vitest and a build.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size > 256) statements.clear();
      statements.set(sql, statement);
    }
    if (!statement.reader) throw new Error('the console reader runs reads only');
    parentPort.postMessage({ id, rows: statement.all(...parameters) });
  } catch (error) {
    parentPort.postMessage({ id, error: error && error.message ? error.message : String(error) });
  }
});
`;

export class ReaderQueryError extends Error {
  constructor(
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = 'ReaderQueryError';
  }
}

class WorkerReader implements DatabaseConnection {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void; sql: string }>();

  constructor(file: string) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module } });
    // An idle reader must not keep the process alive (tests, a server being closed).
    this.worker.unref();
    this.worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: string }) => {
      const call = this.waiting.get(id);
      if (!call) return;
      this.waiting.delete(id);
      if (error !== undefined) call.reject(new ReaderQueryError(error, call.sql));
      else call.resolve(rows ?? []);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new Error('the console reader stopped')));
  }

  private failAll(error: Error) {
    for (const call of this.waiting.values()) call.reject(error);
    this.waiting.clear();
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const id = this.next++;
    const parameters = compiled.parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p));
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, sql: compiled.sql });
      this.worker.ref(); // busy: keep the process alive until the answer
      this.worker.postMessage({ id, sql: compiled.sql, parameters });
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
    return { rows: rows as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the console reader does not stream; read in keyset pages');
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

class WorkerReaderDriver implements Driver {
  private reader: WorkerReader | undefined;
  constructor(private readonly file: string) {}
  async init() {
    this.reader = new WorkerReader(this.file);
  }
  async acquireConnection() {
    return this.reader!;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('the console reader runs no transactions');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy() {
    await this.reader?.terminate();
    this.reader = undefined;
  }
}

/** A read-only Kysely over `file` whose queries run in a worker thread. */
export function openSqliteReader(file: string): Kysely<Database> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new WorkerReaderDriver(file),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
  return new Kysely<Database>({ dialect });
}
