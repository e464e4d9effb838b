/**
 * Runs the real server in its own process for bench/server.bench.ts, as in production
 * (`npm run server`): the load generator then does not share the server's event loop.
 * Started with fork() + IPC; answers { url, dbFile } once listening; stops on 'stop'.
 */
import { startServer } from '../../server/start';

async function main(): Promise<void> {
  const [dataDir, enrollmentCode] = process.argv.slice(2);
  if (!dataDir || !enrollmentCode || !process.send) throw new Error('usage: fork(server-process.ts, [dataDir, code])');
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
  });
  process.send({ url: server.url, dbFile: server.dbFile });
  process.on('message', (message) => {
    if (message === 'stop') void server.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
