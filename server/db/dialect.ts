/** Opens the database: PostgreSQL when a URL is given, else a SQLite file in the data dir. */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema';
import { ensurePrivateDir, ensurePrivateFile, narrowIfExists } from '../data-dir';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** SQLite file path (undefined for PostgreSQL). */
  file?: string;
  /** The SQLite connection itself, for the event-ingest fast path (db/event-writer.ts). */
  sqlite?: SQLite.Database;
}

export const SQLITE_FILE = 'baomi.sqlite';

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string;
  poolSize?: number;
  /** PostgreSQL schema to use (search_path); tests give each file its own. */
  pgSchema?: string;
}

export function openDatabase(options: OpenOptions): OpenedDatabase {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
  }
  ensurePrivateDir(options.dataDir);
  const file = join(options.dataDir, SQLITE_FILE);
  // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database
  // file's mode. Files of an older install are narrowed too.
  ensurePrivateFile(file);
  for (const suffix of ['-wal', '-shm', '-journal']) narrowIfExists(file + suffix);
  const sqlite = new SQLite(file);
  // WAL: readers do not block the writer; NORMAL is durable across process crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  for (const suffix of ['-wal', '-shm']) narrowIfExists(file + suffix);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Ingest commits once per batch: a bigger page cache and rarer checkpoints (each one
  // fsyncs) keep small transactions cheap. 64 MB cache, checkpoint every ~40 MB of WAL.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
    kind: 'sqlite',
    file,
    sqlite,
  };
}

/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query; preparing is a large part
 * of a small query's cost (and of a 100-row INSERT's). Cache prepared statements by SQL
 * text. Safe: Kysely runs one query at a time on this single connection.
 */
export function withStatementCache(sqlite: SQLite.Database, maxStatements = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh its place: the Map's order is the eviction order.
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
