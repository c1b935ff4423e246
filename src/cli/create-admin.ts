// `npm run admin:create -- --email a@b.org --name "..."`: adds an admin to the configured database and prints
// a one-time password once. Refuses an email that already has an account.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAuthService } from '../auth/service.ts';
import { ConfigError, loadConfig, ROOT_DIR } from '../config.ts';
import type { Logger } from '../core/channel.ts';
import { isAppError } from '../core/errors.ts';
import { closeDb, openDb } from '../db/client.ts';

const USAGE = 'Usage: npm run admin:create -- --email <address> --name "<display name>"';

// Only problems reach the terminal; the one-time password goes to stdout once, nowhere else.
const quietLogger: Logger = {
  info: () => undefined,
  debug: () => undefined,
  warn: (obj, msg) => process.stderr.write(`warning: ${msg ?? (typeof obj === 'string' ? obj : '')}\n`),
  error: (obj, msg) => process.stderr.write(`error: ${msg ?? (typeof obj === 'string' ? obj : '')}\n`),
};

async function run(argv: string[]): Promise<number> {
  let values: { email?: string | undefined; name?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.email || !values.name) {
    process.stderr.write(`Both --email and --name are required.\n${USAGE}\n`);
    return 2;
  }

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const db = openDb({ file: config.dbFile, migrationsDir: path.join(ROOT_DIR, 'migrations') });
  try {
    const auth = createAuthService({ db, logger: quietLogger });
    if (await auth.findByEmail(values.email)) {
      process.stderr.write(`An officer with the email ${values.email.trim().toLowerCase()} already exists; nothing was changed.\n`);
      return 1;
    }
    const { officer, oneTimePassword } = await auth.createOfficer({ email: values.email, displayName: values.name, role: 'admin' }, { officerId: null });
    process.stdout.write(
      [
        `Created the admin ${officer.email} (${officer.displayName}) in ${config.dbFile}.`,
        `One-time password: ${oneTimePassword ?? ''}`,
        'It is shown only this once. Sign in with it; you will be asked to choose a new password.',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    closeDb(db);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`admin:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
