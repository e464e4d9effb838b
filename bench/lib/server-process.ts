/**
 * Runs the real server in its own process, as in production (`npm run server`): the load
 * generator (bench/server.bench.ts, bench/soak.bench.ts) or a test then does not share the
 * server's event loop. Started with fork() + IPC; answers { url, dbFile, pid } once
 * listening; stops on 'stop'. Arguments: dataDir, enrollment code, and optionally a JSON
 * object of start options (databaseUrl, pgSchema, port).
 */
import { startServer, type StartOptions } from '../../server/start';

async function main(): Promise<void> {
  const [dataDir, enrollmentCode, extra] = process.argv.slice(2);
  if (!dataDir || !enrollmentCode || !process.send) throw new Error('usage: fork(server-process.ts, [dataDir, code, options?])');
  const options = (extra ? JSON.parse(extra) : {}) as Pick<StartOptions, 'databaseUrl' | 'pgSchema' | 'port'>;
  const server = await startServer({
    dataDir,
    databaseUrl: '',
    host: '127.0.0.1',
    port: 0,
    enrollmentCode,
    adminPassword: 'bench-admin-password',
    rateLimits: false,
    env: {},
    consoleDir: `${dataDir}/none`,
    ...options,
  });
  process.send({ url: server.url, dbFile: server.dbFile, pid: process.pid });
  process.on('message', (message) => {
    if (message === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
