-- CreateEnum
CREATE TYPE "DatasetType" AS ENUM ('DOC', 'AUDIO', 'VIDEO', 'IMAGE');

-- AlterEnum
ALTER TYPE "DeletionEventKind" ADD VALUE 'RESTORED';

-- CreateTable
CREATE TABLE "dataset" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "type" "DatasetType" NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_ext" TEXT NOT NULL,
    "file_size" BIGINT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "blob_key" TEXT NOT NULL,
    "item_count" INTEGER NOT NULL,
    "key_count" INTEGER NOT NULL,
    "vector_count" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "share_id" TEXT,
    "share_token" TEXT,
    "share_expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_item" (
    "dataset_id" TEXT NOT NULL,
    "ord" INTEGER NOT NULL,
    "data" JSON NOT NULL,

    CONSTRAINT "dataset_item_pkey" PRIMARY KEY ("dataset_id","ord")
);

-- CreateTable
CREATE TABLE "dataset_key" (
    "dataset_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "dataset_key_pkey" PRIMARY KEY ("dataset_id","key")
);

-- CreateTable
CREATE TABLE "dataset_vector" (
    "dataset_id" TEXT NOT NULL,
    "ord" INTEGER NOT NULL,
    "value" DOUBLE PRECISION[],

    CONSTRAINT "dataset_vector_pkey" PRIMARY KEY ("dataset_id","ord")
);

-- CreateTable
CREATE TABLE "purge_run" (
    "id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "datasets" INTEGER NOT NULL DEFAULT 0,
    "items" INTEGER NOT NULL DEFAULT 0,
    "keys" INTEGER NOT NULL DEFAULT 0,
    "vectors" INTEGER NOT NULL DEFAULT 0,
    "blob_bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "purge_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dataset_blob_key_key" ON "dataset"("blob_key");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_share_id_key" ON "dataset"("share_id");

-- CreateIndex
CREATE INDEX "dataset_workspace_id_created_at_id_idx" ON "dataset"("workspace_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "dataset_expires_at_id_idx" ON "dataset"("expires_at", "id");

-- CreateIndex
CREATE INDEX "purge_run_started_at_idx" ON "purge_run"("started_at");

-- AddForeignKey
ALTER TABLE "dataset_item" ADD CONSTRAINT "dataset_item_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "dataset_key" ADD CONSTRAINT "dataset_key_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "dataset_vector" ADD CONSTRAINT "dataset_vector_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;
