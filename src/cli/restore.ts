// `npm run restore -- <file.tar.gz> [--force]`: puts a backup back into DATA_DIR (the gateway must be stopped).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { RestoreRefused, restoreStore } from '../ops/backup.ts';

const USAGE = 'Usage: npm run restore -- <file.tar.gz> [--force]   (--force replaces an existing database, keeping it in DATA_DIR/before-restore-…)';

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const [file, ...rest] = parsed.positionals;
  if (parsed.values.help || !file || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
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
  try {
    const { manifest, previous, secretKeyPresent } = await restoreStore(config, file, { force: parsed.values.force ?? false });
    process.stdout.write(`Restored the backup of ${manifest.createdAt} (${manifest.files} uploaded file(s)) into ${config.dataDir}.${previous ? ` What it replaced is in ${previous}.` : ''}\n`);
    if (!secretKeyPresent && !config.secretKey) {
      process.stderr.write('warning: DATA_DIR/server.key is missing: put the server.key of the backed-up server there (or set SECRET_KEY) before starting, or every officer must set up the authenticator app again.\n');
    }
    return 0;
  } catch (err) {
    if (err instanceof RestoreRefused) {
      process.stderr.write(`Not restored: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
