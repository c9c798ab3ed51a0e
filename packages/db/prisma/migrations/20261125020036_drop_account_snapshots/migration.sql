-- AlterTable
ALTER TABLE "accounts" DROP COLUMN "equity",
DROP COLUMN "free_margin",
DROP COLUMN "margin",
DROP COLUMN "margin_call",
DROP COLUMN "margin_level";
