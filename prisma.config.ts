import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this; migrations run through the WASM schema engine (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
