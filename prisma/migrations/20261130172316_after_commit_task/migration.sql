-- CreateEnum
CREATE TYPE "AfterCommitTaskState" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "after_commit_task" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "backend" "DeletionBackend" NOT NULL,
    "entity_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "instance_id" TEXT,
    "state" "AfterCommitTaskState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "after_commit_task_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "after_commit_task_state_run_at_idx" ON "after_commit_task"("state", "run_at");

-- CreateIndex
CREATE INDEX "after_commit_task_workspace_id_state_id_idx" ON "after_commit_task"("workspace_id", "state", "id");

-- Wrapper stops a crash left unfinished before this table existed become after-commit work.
INSERT INTO "after_commit_task" ("kind", "payload", "backend", "entity_id", "workspace_id", "instance_id")
SELECT 'wrapper.stop',
       jsonb_build_object('wrapperId', w."id", 'messageId', NULL),
       'RESOURCE', r."id", r."workspace_id", w."instance_id"
  FROM "wrapper" w JOIN "resource" r ON r."id" = w."resource_id"
 WHERE w."stop_requested_at" IS NOT NULL AND w."status" <> 'STOPPED';
