-- CreateEnum
CREATE TYPE "LpOrderKind" AS ENUM ('CLIENT', 'COVERAGE');

-- CreateEnum
CREATE TYPE "LpOrderStatus" AS ENUM ('SENT', 'FILLED', 'PARTIAL', 'REJECTED', 'EXPIRED', 'UNKNOWN');

-- AlterTable
ALTER TABLE "execution_config" ADD COLUMN     "flow_min_fills" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "latency_arb_window_ms" INTEGER NOT NULL DEFAULT 500,
ADD COLUMN     "reporting_currency" VARCHAR(10) NOT NULL DEFAULT 'USD',
ADD COLUMN     "toxic_flow_auto_route" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "toxic_latency_arb_score" DECIMAL(20,8) DEFAULT 30,
ADD COLUMN     "toxic_markout_horizon" VARCHAR(3) NOT NULL DEFAULT '10s',
ADD COLUMN     "toxic_markout_per_lot" DECIMAL(20,8);

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "route_figures" JSONB,
ADD COLUMN     "route_lp_id" INTEGER,
ADD COLUMN     "route_reason" VARCHAR(500),
ADD COLUMN     "route_rule" VARCHAR(50);

-- CreateTable
CREATE TABLE "lp_orders" (
    "id" BIGSERIAL NOT NULL,
    "order_id" BIGINT,
    "lp_id" INTEGER NOT NULL,
    "kind" "LpOrderKind" NOT NULL,
    "cl_ord_id" VARCHAR(64) NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "side" "Side" NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "status" "LpOrderStatus" NOT NULL DEFAULT 'SENT',
    "filled_volume" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "avg_price" DECIMAL(20,8),
    "lp_order_id" VARCHAR(100),
    "reject_reason" VARCHAR(255),
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "quote_bid" DECIMAL(20,8),
    "quote_ask" DECIMAL(20,8),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lp_orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coverage_positions" (
    "id" SERIAL NOT NULL,
    "lp_id" INTEGER NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "net_volume" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "avg_price" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "realized_pnl" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "coverage_positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_reports" (
    "id" BIGSERIAL NOT NULL,
    "lp_id" INTEGER NOT NULL,
    "exec_id" VARCHAR(100) NOT NULL,
    "cl_ord_id" VARCHAR(64) NOT NULL,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "execution_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "lp_orders_cl_ord_id_key" ON "lp_orders"("cl_ord_id");

-- CreateIndex
CREATE INDEX "lp_orders_order_id_idx" ON "lp_orders"("order_id");

-- CreateIndex
CREATE INDEX "lp_orders_lp_id_sent_at_idx" ON "lp_orders"("lp_id", "sent_at");

-- CreateIndex
CREATE INDEX "lp_orders_status_idx" ON "lp_orders"("status");

-- CreateIndex
CREATE UNIQUE INDEX "coverage_positions_lp_id_symbol_key" ON "coverage_positions"("lp_id", "symbol");

-- CreateIndex
CREATE INDEX "execution_reports_cl_ord_id_idx" ON "execution_reports"("cl_ord_id");

-- CreateIndex
CREATE UNIQUE INDEX "execution_reports_lp_id_exec_id_key" ON "execution_reports"("lp_id", "exec_id");

-- AddForeignKey
ALTER TABLE "lp_orders" ADD CONSTRAINT "lp_orders_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lp_orders" ADD CONSTRAINT "lp_orders_lp_id_fkey" FOREIGN KEY ("lp_id") REFERENCES "liquidity_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coverage_positions" ADD CONSTRAINT "coverage_positions_lp_id_fkey" FOREIGN KEY ("lp_id") REFERENCES "liquidity_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_reports" ADD CONSTRAINT "execution_reports_lp_id_fkey" FOREIGN KEY ("lp_id") REFERENCES "liquidity_providers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
