/**
 * Starts the server: config → keys → database (+ migrations) → bootstrap → Hono app
 * → listen. `prepareServer` does everything but listening (in-process tests);
 * `startServer` also listens (port 0 = a free port).
 */
import { createServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { createApp, type App } from './app';
import { bootstrap, type BootstrapResult } from './bootstrap';
import { DEFAULT_RATE_LIMITS, loadConfig, type RateLimitSettings, type ServerConfig } from './config';
import type { AppDeps } from './context';
import { openDatabase, type DatabaseKind } from './db/dialect';
import { migrateToLatest } from './db/migrations';
import { checkKeyFingerprints } from './db/repositories/server-keys';
import { resolve } from 'node:path';
import type { Database } from './db/schema';
import { loadOrCreateKeys, type ServerKeys } from './keys';
import { preReadBody } from './lib/pre-read-body';
import { maxBodyBytesFor } from './context';
import { createAlertService, type AlertSettings } from './lib/alerts/alert-service';
import { createRetentionService } from './lib/retention-service';
import { openSqliteReader } from './db/sqlite-reader';

export interface StartOptions {
  /** Overrides BAOMI_PORT; 0 = a free port. */
  port?: number;
  host?: string;
  dataDir?: string;
  /** Overrides DATABASE_URL; '' forces SQLite even when DATABASE_URL is set. */
  databaseUrl?: string;
  /** PostgreSQL schema (search_path), for tests. */
  pgSchema?: string;
  adminPassword?: string;
  enrollmentCode?: string;
  /** `false` switches rate limiting off (benchmarks). */
  rateLimits?: RateLimitSettings | false;
  clock?: () => Date;
  consoleDir?: string;
  /** Environment to read (default process.env); options win over it. */
  env?: Record<string, string | undefined>;
  /** Approval-alert dispatcher timings (tests shorten them); `dispatch: false` keeps it from running in startServer. */
  alerts?: Partial<AlertSettings> & { dispatch?: boolean };
}

export interface PreparedServer {
  app: App;
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  /** SQLite file, when SQLite. */
  dbFile?: string;
  deps: AppDeps;
  keys: ServerKeys;
  config: ServerConfig;
  bootstrap: BootstrapResult;
  /** Closes the database. */
  destroy(): Promise<void>;
}

export interface StartedServer extends PreparedServer {
  url: string;
  port: number;
  /** Stops listening, then closes the database. */
  close(): Promise<void>;
}

export async function prepareServer(options: StartOptions = {}): Promise<PreparedServer> {
  const base = loadConfig(options.env ?? process.env);
  const config: ServerConfig = {
    ...base,
    port: options.port ?? base.port,
    host: options.host ?? base.host,
    dataDir: options.dataDir ?? base.dataDir,
    databaseUrl: options.databaseUrl === undefined ? base.databaseUrl : options.databaseUrl || undefined,
    adminPassword: options.adminPassword ?? base.adminPassword,
    enrollmentCode: options.enrollmentCode ?? base.enrollmentCode,
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
  };
  const keys = await loadOrCreateKeys(config.dataDir);
  const opened = openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, pgSchema: options.pgSchema });
  const clock = options.clock ?? (() => new Date());
  try {
    await migrateToLatest(opened.db);
    await checkKeyFingerprints(opened.db, keys, resolve(config.dataDir), clock());
    const boot = await bootstrap(opened.db, { adminPassword: config.adminPassword, enrollmentCode: config.enrollmentCode, now: clock() });
    const alerts = createAlertService({ db: opened.db, keys, config, clock, postgres: opened.kind === 'postgres' }, options.alerts);
    const retention = createRetentionService(opened.db, clock);
    const readDb = opened.kind === 'sqlite' ? openSqliteReader(opened.file!) : opened.db;
    const deps: AppDeps = {
      db: opened.db,
      keys,
      config,
      clock,
      consoleDir: options.consoleDir,
      sqlite: opened.sqlite,
      alerts,
      retention,
      readDb,
    };
    return {
      app: createApp(deps),
      db: opened.db,
      dbKind: opened.kind,
      dbFile: opened.file,
      deps,
      keys,
      config,
      bootstrap: boot,
      destroy: async () => {
        await alerts.stop();
        if (readDb !== opened.db) await readDb.destroy();
        await opened.db.destroy();
      },
    };
  } catch (error) {
    await opened.db.destroy();
    throw error;
  }
}

export async function startServer(options: StartOptions = {}): Promise<StartedServer> {
  const prepared = await prepareServer(options);
  const { host, port: wanted } = prepared.config;
  let server: ServerType;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      {
        fetch: prepared.app.fetch,
        hostname: host,
        port: wanted,
        // Bodies are read into a Buffer first (lib/pre-read-body.ts), up to the route's limit.
        createServer: ((options: object, listener: Parameters<typeof preReadBody>[0]) =>
          createServer(options, preReadBody(listener, maxBodyBytesFor))) as unknown as typeof createServer,
      },
      (info: AddressInfo) => resolve(info.port),
    );
    server.once('error', reject);
  }).catch(async (error) => {
    await prepared.destroy();
    throw error;
  });
  if (options.alerts?.dispatch !== false) prepared.deps.alerts.start();
  const stopPurge = prepared.deps.retention.schedule();
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    ...prepared,
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      stopPurge();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await prepared.destroy();
    },
  };
}
