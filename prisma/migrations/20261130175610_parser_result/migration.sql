-- CreateTable
CREATE TABLE "parser_result" (
    "workspace_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "data" JSON NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "parser_result_pkey" PRIMARY KEY ("workspace_id","request_id")
);

-- CreateTable
CREATE TABLE "parser_result_row" (
    "workspace_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "ord" INTEGER NOT NULL,
    "value" JSON NOT NULL,

    CONSTRAINT "parser_result_row_pkey" PRIMARY KEY ("workspace_id","request_id","key","ord")
);

-- CreateTable
CREATE TABLE "parser_file" (
    "workspace_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "ord" INTEGER NOT NULL,
    "name" BYTEA NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "content_type" TEXT NOT NULL,
    "blob_key" TEXT NOT NULL,

    CONSTRAINT "parser_file_pkey" PRIMARY KEY ("workspace_id","request_id","ord")
);

-- CreateIndex
CREATE UNIQUE INDEX "parser_file_blob_key_key" ON "parser_file"("blob_key");

-- AddForeignKey
ALTER TABLE "parser_result_row" ADD CONSTRAINT "parser_result_row_workspace_id_request_id_fkey" FOREIGN KEY ("workspace_id", "request_id") REFERENCES "parser_result"("workspace_id", "request_id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "parser_file" ADD CONSTRAINT "parser_file_workspace_id_request_id_fkey" FOREIGN KEY ("workspace_id", "request_id") REFERENCES "parser_result"("workspace_id", "request_id") ON DELETE NO ACTION ON UPDATE NO ACTION;
