-- AlterTable
ALTER TABLE "execution_config" ADD COLUMN     "lp_order_timeout_ms" INTEGER NOT NULL DEFAULT 5000,
ADD COLUMN     "max_slippage_pips" DECIMAL(20,8) NOT NULL DEFAULT 2,
ADD COLUMN     "slippage_control" BOOLEAN NOT NULL DEFAULT true;
