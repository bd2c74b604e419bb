-- CreateIndex
CREATE INDEX "operation_workspace_id_seq_idx" ON "operation"("workspace_id", "seq");
