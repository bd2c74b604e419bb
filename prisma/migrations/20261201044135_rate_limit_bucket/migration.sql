-- CreateTable
CREATE TABLE "rate_limit_bucket" (
    "key_id" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,
    "last_grant" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key_id")
);

-- AddForeignKey
ALTER TABLE "rate_limit_bucket" ADD CONSTRAINT "rate_limit_bucket_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "api_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: a bucket is a few seconds of state, rewritten at every lease. Unlogged, its
-- updates write no WAL and their commits wait for no flush. A database crash empties the
-- table, which only gives every key a full bucket again. (The Prisma schema cannot say UNLOGGED.
-- No semicolon in these comments: the PostgreSQL adapter splits the script at each one.)
ALTER TABLE "rate_limit_bucket" SET UNLOGGED;
