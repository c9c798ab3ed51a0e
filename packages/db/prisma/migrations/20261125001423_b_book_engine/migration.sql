-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "comment" VARCHAR(200),
ADD COLUMN     "trailing_step_pips" DECIMAL(20,8);

-- AlterTable
ALTER TABLE "positions" ADD COLUMN     "last_swap_day" DATE,
ADD COLUMN     "trailing_step_pips" DECIMAL(20,8);

-- CreateTable
CREATE TABLE "rollover_runs" (
    "id" SERIAL NOT NULL,
    "trading_day" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "positions" INTEGER NOT NULL DEFAULT 0,
    "total_swap" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "triggered_by" INTEGER,

    CONSTRAINT "rollover_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rollover_runs_trading_day_key" ON "rollover_runs"("trading_day");
