-- AlterTable
ALTER TABLE "queue_message" ALTER COLUMN "body" SET DATA TYPE TEXT USING "body"::text;
