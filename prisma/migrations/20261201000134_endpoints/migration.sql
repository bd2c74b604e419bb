-- CreateEnum
CREATE TYPE "TaskRunStatus" AS ENUM ('FINISHED_SUCCESS', 'FAILED_CONNECTOR', 'FAILED');

-- CreateTable
CREATE TABLE "endpoint" (
    "id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "company" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "allow_deleting" BOOLEAN NOT NULL,
    "delete_method" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_record" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "references" UUID[] DEFAULT ARRAY[]::UUID[],
    "ref_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_task_run" (
    "id" UUID NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "status" "TaskRunStatus" NOT NULL,
    "message" JSONB,
    "result" JSONB,
    "response" JSONB NOT NULL,
    "saved_input" JSONB,
    "saved_output" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "endpoint_task_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "endpoint_workspace_id_company_group_endpoint_key" ON "endpoint"("workspace_id", "company", "group", "endpoint");

-- CreateIndex
CREATE INDEX "endpoint_record_endpoint_id_id_idx" ON "endpoint_record"("endpoint_id", "id");

-- CreateIndex
CREATE INDEX "endpoint_record_data_idx" ON "endpoint_record" USING GIN ("data" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "endpoint_record_references_idx" ON "endpoint_record" USING GIN ("references");

-- CreateIndex
CREATE INDEX "endpoint_task_run_workspace_id_id_idx" ON "endpoint_task_run"("workspace_id", "id");

-- AddForeignKey
ALTER TABLE "endpoint_record" ADD CONSTRAINT "endpoint_record_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
