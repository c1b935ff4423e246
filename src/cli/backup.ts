// `npm run backup -- <file.tar.gz>`: an online backup of DATA_DIR's database and uploads, safe while the gateway runs.
import { ConfigError, loadConfig } from '../config.ts';
import { backupStore } from '../ops/backup.ts';

const USAGE = 'Usage: npm run backup -- <file.tar.gz>';

async function run(argv: string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (!file || rest.length > 0 || file === '--help' || file === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return file === '--help' || file === '-h' ? 0 : 2;
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
  const manifest = await backupStore(config, file);
  process.stdout.write(`Backed up ${config.dbFile} and ${manifest.files} uploaded file(s) to ${file}.${manifest.secretKey ? ' It holds server.key too: keep it as secret as the server.' : ''}\n`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
