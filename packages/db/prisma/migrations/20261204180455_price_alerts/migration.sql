-- CreateEnum
CREATE TYPE "PriceAlertSide" AS ENUM ('BID', 'ASK');

-- CreateEnum
CREATE TYPE "PriceAlertDirection" AS ENUM ('ABOVE', 'BELOW');

-- CreateTable
CREATE TABLE "price_alerts" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "side" "PriceAlertSide" NOT NULL,
    "direction" "PriceAlertDirection" NOT NULL,
    "price" DECIMAL(20,8) NOT NULL,
    "note" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "triggered_at" TIMESTAMPTZ(3),
    "triggered_price" DECIMAL(20,8),

    CONSTRAINT "price_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "price_alerts_account_id_created_at_idx" ON "price_alerts"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "price_alerts_triggered_at_idx" ON "price_alerts"("triggered_at");

-- AddForeignKey
ALTER TABLE "price_alerts" ADD CONSTRAINT "price_alerts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
