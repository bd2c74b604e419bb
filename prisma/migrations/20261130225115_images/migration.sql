-- CreateEnum
CREATE TYPE "OperationMethod" AS ENUM ('ADD', 'UPD', 'DEL', 'MULTIPLE');

-- CreateEnum
CREATE TYPE "OperationResource" AS ENUM ('VIDEO', 'IMAGE', 'CELEBS');

-- CreateEnum
CREATE TYPE "OperationState" AS ENUM ('QUEUED', 'RUNNING', 'FINISHED');

-- CreateTable
CREATE TABLE "image" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "sha256" CHAR(64),
    "content_type" TEXT,
    "blob_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "method" "OperationMethod" NOT NULL,
    "resource" "OperationResource" NOT NULL,
    "state" "OperationState" NOT NULL DEFAULT 'QUEUED',
    "do_wait" BOOLEAN NOT NULL,
    "do_urgent" BOOLEAN NOT NULL,
    "do_strict" BOOLEAN NOT NULL,
    "elements" BIGINT[],
    "num_total" INTEGER NOT NULL,
    "next_ord" INTEGER NOT NULL DEFAULT 0,
    "num_good" INTEGER NOT NULL DEFAULT 0,
    "num_bad" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "locked_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation_change" (
    "operation_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "num_good" INTEGER NOT NULL,
    "num_bad" INTEGER NOT NULL,
    "errors_count" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "operation_change_pkey" PRIMARY KEY ("operation_id","version")
);

-- CreateIndex
CREATE UNIQUE INDEX "image_blob_key_key" ON "image"("blob_key");

-- CreateIndex
CREATE INDEX "image_workspace_id_id_idx" ON "image"("workspace_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "operation_seq_key" ON "operation"("seq");

-- CreateIndex
CREATE INDEX "operation_state_do_urgent_seq_idx" ON "operation"("state", "do_urgent" DESC, "seq");

-- CreateIndex
CREATE INDEX "operation_workspace_id_created_at_idx" ON "operation"("workspace_id", "created_at");

-- AddForeignKey
ALTER TABLE "operation_change" ADD CONSTRAINT "operation_change_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
