-- AlterEnum
ALTER TYPE "LedgerType" ADD VALUE 'CREDIT';

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "credit" DECIMAL(20,8) NOT NULL DEFAULT 0;
