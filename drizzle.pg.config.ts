import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations, generated from the same tables as SQLite's (src/db/pg/derive.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations/pg',
});
