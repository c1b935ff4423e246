// `npm run backup -- <file.tar.gz>`: an online backup of DATA_DIR's database and uploads, safe while the gateway runs.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { backupStore } from '../ops/backup.ts';

const USAGE = 'Usage: npm run backup -- <file.tar.gz> [--include-key]   (--include-key adds DATA_DIR/server.key, which decrypts the TOTP secrets)';

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { 'include-key': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
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
  const manifest = await backupStore(config, file, { includeSecretKey: parsed.values['include-key'] ?? false });
  const key = manifest.secretKey
    ? ' It holds server.key too: keep it as secret as the server.'
    : config.secretKey
      ? ''
      : ' server.key is not in it: keep a copy of DATA_DIR/server.key apart from your backups (officers need it for their authenticator codes).';
  process.stdout.write(`Backed up ${config.dbFile} and ${manifest.files} uploaded file(s) to ${file}.${key}\n`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
