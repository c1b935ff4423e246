// The composition root: configuration → gateway → listen; SIGTERM/SIGINT shut it down cleanly.
import { ConfigError, loadConfig } from './config.ts';
import { createGateway } from './gateway.ts';
import { ensureFirstAdmin, formatFirstAdminNotice } from './auth/index.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const gateway = await createGateway(config);
  // No default password: on an empty database the first admin gets a one-time password, shown once here.
  const firstAdmin = await ensureFirstAdmin({ auth: gateway.auth, logger: gateway.logger, email: config.adminEmail, name: config.adminName });
  if (firstAdmin) process.stderr.write(formatFirstAdminNotice(firstAdmin));
  const address = await gateway.listen();
  // The runtime and the store this process really uses (npm scripts run on the Node the lock file pins).
  gateway.logger.info({ address, channels: [...gateway.adapters.keys()], node: process.version, database: config.dbFile }, 'Tawasul is listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      gateway.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    gateway
      .close()
      .then(() => process.exit(process.exitCode ?? 0))
      .catch((err: unknown) => {
        gateway.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A forgotten promise must not take every beneficiary's conversation down with it: log it and go on.
  process.on('unhandledRejection', (reason) => {
    gateway.logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled promise rejection');
  });
  // After an exception nobody caught, state may be inconsistent: finish what is in flight and exit.
  process.on('uncaughtException', (err) => {
    gateway.logger.fatal({ err: err.message, stack: err.stack }, 'uncaught exception');
    process.exitCode = 1;
    stop('uncaughtException');
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Tawasul could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
