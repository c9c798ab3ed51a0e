-- AlterTable
ALTER TABLE "ledger" ADD COLUMN     "internal_note" TEXT,
ADD COLUMN     "reversal_of_id" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_reversal_of_id_key" ON "ledger"("reversal_of_id");
