-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "WrapperStatus" AS ENUM ('PENDING', 'RUNNING', 'STOPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "QueueMessageState" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "DeletionBackend" AS ENUM ('RESOURCE', 'ENDPOINT_RECORD', 'PARSER_RESULT', 'DATASET', 'IMAGE');

-- CreateEnum
CREATE TYPE "DeletionEventKind" AS ENUM ('SOFT_DELETED', 'HARD_DELETED', 'MARKED_FOR_DELETION', 'PURGED', 'OPERATION_FINISHED');

-- CreateTable
CREATE TABLE "workspace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource" (
    "id" CHAR(24) NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wrapper" (
    "id" TEXT NOT NULL,
    "resource_id" CHAR(24) NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "WrapperStatus" NOT NULL DEFAULT 'PENDING',
    "status_changed_at" TIMESTAMPTZ(3),
    "pid" INTEGER,
    "instance_id" TEXT,
    "stop_requested_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wrapper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_log_entry" (
    "id" BIGSERIAL NOT NULL,
    "wrapper_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "execution_log_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "queue_message" (
    "id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "state" "QueueMessageState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "queue_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deletion_event" (
    "id" BIGSERIAL NOT NULL,
    "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "backend" "DeletionBackend" NOT NULL,
    "kind" "DeletionEventKind" NOT NULL,
    "entity_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "deletion_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_workspace_id_idx" ON "api_key"("workspace_id");

-- CreateIndex
CREATE INDEX "resource_workspace_id_deleted_id_idx" ON "resource"("workspace_id", "deleted", "id");

-- CreateIndex
CREATE UNIQUE INDEX "wrapper_resource_id_key" ON "wrapper"("resource_id");

-- CreateIndex
CREATE INDEX "wrapper_instance_id_status_idx" ON "wrapper"("instance_id", "status");

-- CreateIndex
CREATE INDEX "execution_log_entry_wrapper_id_id_idx" ON "execution_log_entry"("wrapper_id", "id");

-- CreateIndex
CREATE INDEX "queue_message_queue_state_run_at_idx" ON "queue_message"("queue", "state", "run_at");

-- CreateIndex
CREATE INDEX "queue_message_workspace_id_queue_created_at_idx" ON "queue_message"("workspace_id", "queue", "created_at");

-- CreateIndex
CREATE INDEX "deletion_event_workspace_id_id_idx" ON "deletion_event"("workspace_id", "id");

-- CreateIndex
CREATE INDEX "deletion_event_occurred_at_idx" ON "deletion_event"("occurred_at");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wrapper" ADD CONSTRAINT "wrapper_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resource"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_log_entry" ADD CONSTRAINT "execution_log_entry_wrapper_id_fkey" FOREIGN KEY ("wrapper_id") REFERENCES "wrapper"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
