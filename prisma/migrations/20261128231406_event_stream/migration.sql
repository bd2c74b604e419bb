-- CreateTable
CREATE TABLE "event_log_horizon" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "txid" xid8 NOT NULL,
    "event_id" BIGINT NOT NULL,
    "pruned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_log_horizon_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deletion_event_txid_id_idx" ON "deletion_event"("txid", "id");

