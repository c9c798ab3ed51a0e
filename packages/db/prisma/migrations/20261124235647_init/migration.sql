-- CreateEnum
CREATE TYPE "Role" AS ENUM ('SUPER_ADMIN', 'ADMIN', 'RISK_MANAGER', 'SUPPORT', 'CLIENT');

-- CreateEnum
CREATE TYPE "AccountType" AS ENUM ('DEMO', 'LIVE');

-- CreateEnum
CREATE TYPE "MarginMode" AS ENUM ('HEDGING', 'NETTING');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'READ_ONLY', 'CLOSED');

-- CreateEnum
CREATE TYPE "SymbolCategory" AS ENUM ('FOREX', 'METAL', 'CRYPTO', 'INDEX', 'COMMODITY', 'STOCK');

-- CreateEnum
CREATE TYPE "Weekday" AS ENUM ('SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('BUY', 'SELL');

-- CreateEnum
CREATE TYPE "OrderType" AS ENUM ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'FILLED', 'PARTIALLY_FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "TimeInForce" AS ENUM ('GTC', 'GTD', 'IOC', 'FOK');

-- CreateEnum
CREATE TYPE "PositionStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "CloseReason" AS ENUM ('MANUAL', 'PARTIAL', 'SL_HIT', 'TP_HIT', 'STOP_OUT', 'CLOSE_ALL', 'NETTING', 'ADMIN');

-- CreateEnum
CREATE TYPE "ExecutionMode" AS ENUM ('A_BOOK', 'B_BOOK', 'C_BOOK');

-- CreateEnum
CREATE TYPE "Venue" AS ENUM ('BBOOK', 'ABOOK', 'CBOOK');

-- CreateEnum
CREATE TYPE "LedgerType" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'COMMISSION', 'SWAP', 'REALIZED_PNL', 'BONUS', 'ADJUSTMENT', 'NEGATIVE_BALANCE_PROTECTION');

-- CreateEnum
CREATE TYPE "WithdrawalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "LpType" AS ENUM ('FIX', 'REST', 'WEBSOCKET', 'SIMULATED', 'MANUAL');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "username" VARCHAR(100) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'CLIENT',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "account_number" VARCHAR(50) NOT NULL,
    "user_id" INTEGER NOT NULL,
    "account_type" "AccountType" NOT NULL DEFAULT 'DEMO',
    "currency" VARCHAR(10) NOT NULL DEFAULT 'USD',
    "leverage" INTEGER NOT NULL DEFAULT 100,
    "margin_mode" "MarginMode" NOT NULL DEFAULT 'HEDGING',
    "status" "AccountStatus" NOT NULL DEFAULT 'ACTIVE',
    "balance" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "equity" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "margin" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "free_margin" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "margin_level" DECIMAL(20,8),
    "margin_call" BOOLEAN NOT NULL DEFAULT false,
    "execution_mode" "ExecutionMode",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "symbols" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(20) NOT NULL,
    "description" VARCHAR(200) NOT NULL DEFAULT '',
    "category" "SymbolCategory" NOT NULL,
    "base_currency" VARCHAR(10) NOT NULL,
    "quote_currency" VARCHAR(10) NOT NULL,
    "contract_size" DECIMAL(20,8) NOT NULL,
    "digits" INTEGER NOT NULL,
    "pip_size" DECIMAL(20,8) NOT NULL,
    "min_volume" DECIMAL(20,8) NOT NULL,
    "max_volume" DECIMAL(20,8) NOT NULL,
    "volume_step" DECIMAL(20,8) NOT NULL,
    "margin_percent" DECIMAL(20,8) NOT NULL,
    "markup_pips" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "commission_per_lot" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "swap_long" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "swap_short" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "triple_swap_day" "Weekday" NOT NULL DEFAULT 'WEDNESDAY',
    "max_deviation" DECIMAL(20,8) NOT NULL DEFAULT 0.05,
    "stale_after_ms" INTEGER NOT NULL DEFAULT 30000,
    "trading_hours" JSONB NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "symbols_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "type" "OrderType" NOT NULL,
    "side" "Side" NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "filled_volume" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "price" DECIMAL(20,8),
    "trigger_price" DECIMAL(20,8),
    "sl" DECIMAL(20,8),
    "tp" DECIMAL(20,8),
    "trailing_pips" DECIMAL(20,8),
    "time_in_force" "TimeInForce" NOT NULL DEFAULT 'GTC',
    "expires_at" TIMESTAMPTZ(3),
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING',
    "filled_price" DECIMAL(20,8),
    "filled_at" TIMESTAMPTZ(3),
    "position_id" BIGINT,
    "closes_position_id" BIGINT,
    "reject_code" VARCHAR(50),
    "reject_reason" VARCHAR(255),
    "idempotency_key" VARCHAR(100),
    "venue" "Venue",
    "lp_order_id" VARCHAR(100),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "side" "Side" NOT NULL,
    "volume" DECIMAL(20,8) NOT NULL,
    "open_price" DECIMAL(20,8) NOT NULL,
    "current_price" DECIMAL(20,8) NOT NULL,
    "open_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "close_time" TIMESTAMPTZ(3),
    "close_price" DECIMAL(20,8),
    "sl" DECIMAL(20,8),
    "tp" DECIMAL(20,8),
    "trailing_pips" DECIMAL(20,8),
    "margin" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "commission" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "unrealized_pnl" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "realized_pnl" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "status" "PositionStatus" NOT NULL DEFAULT 'OPEN',
    "close_reason" "CloseReason",
    "execution_venue" "Venue" NOT NULL DEFAULT 'BBOOK',
    "lp_order_id" VARCHAR(100),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trades" (
    "id" BIGSERIAL NOT NULL,
    "order_id" BIGINT NOT NULL,
    "position_id" BIGINT,
    "account_id" INTEGER NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "side" "Side" NOT NULL,
    "entry" VARCHAR(10) NOT NULL DEFAULT 'OPEN',
    "volume" DECIMAL(20,8) NOT NULL,
    "price" DECIMAL(20,8) NOT NULL,
    "realized_pnl" DECIMAL(20,8),
    "commission" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "swap" DECIMAL(20,8) NOT NULL DEFAULT 0,
    "execution_venue" "Venue" NOT NULL DEFAULT 'BBOOK',
    "executed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trades_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "type" "LedgerType" NOT NULL,
    "amount" DECIMAL(20,8) NOT NULL,
    "balance_before" DECIMAL(20,8) NOT NULL,
    "balance_after" DECIMAL(20,8) NOT NULL,
    "reference_id" BIGINT,
    "reference_type" VARCHAR(50),
    "method" VARCHAR(50),
    "note" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawal_requests" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "amount" DECIMAL(20,8) NOT NULL,
    "method" VARCHAR(50) NOT NULL,
    "bank_info" TEXT,
    "crypto_addr" VARCHAR(200),
    "status" "WithdrawalStatus" NOT NULL DEFAULT 'PENDING',
    "reviewed_by_id" INTEGER,
    "reviewed_at" TIMESTAMPTZ(3),
    "review_note" TEXT,
    "ledger_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawal_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticks" (
    "time" TIMESTAMPTZ(3) NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "bid" DECIMAL(20,8) NOT NULL,
    "ask" DECIMAL(20,8) NOT NULL,
    "spread" DECIMAL(20,8) NOT NULL,
    "lp" VARCHAR(50) NOT NULL,

    CONSTRAINT "ticks_pkey" PRIMARY KEY ("time","symbol","lp")
);

-- CreateTable
CREATE TABLE "ohlc" (
    "time" TIMESTAMPTZ(3) NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "timeframe" VARCHAR(10) NOT NULL,
    "open" DECIMAL(20,8) NOT NULL,
    "high" DECIMAL(20,8) NOT NULL,
    "low" DECIMAL(20,8) NOT NULL,
    "close" DECIMAL(20,8) NOT NULL,
    "volume" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ohlc_pkey" PRIMARY KEY ("time","symbol","timeframe")
);

-- CreateTable
CREATE TABLE "liquidity_providers" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "type" "LpType" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "credential_env" JSONB NOT NULL DEFAULT '{}',
    "symbol_map" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "liquidity_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_config" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "global_mode" "ExecutionMode" NOT NULL DEFAULT 'B_BOOK',
    "apply_to_new_clients_only" BOOLEAN NOT NULL DEFAULT false,
    "bbook_max_volume" DECIMAL(20,8) NOT NULL DEFAULT 10,
    "high_volatility_percent" DECIMAL(20,8) NOT NULL DEFAULT 5,
    "max_symbol_exposure" DECIMAL(20,8) NOT NULL DEFAULT 1000000,
    "profitable_auto_route" BOOLEAN NOT NULL DEFAULT false,
    "profitable_threshold_pnl" DECIMAL(20,8) NOT NULL DEFAULT 10000,
    "profitable_win_rate" DECIMAL(20,8) NOT NULL DEFAULT 65,
    "cbook_abook_share" DECIMAL(20,8) NOT NULL DEFAULT 50,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "execution_config_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "client_overrides" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "mode" "ExecutionMode" NOT NULL,
    "reason" VARCHAR(200) NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "symbol_routing_rules" (
    "id" SERIAL NOT NULL,
    "symbol" VARCHAR(20) NOT NULL,
    "mode" "ExecutionMode" NOT NULL,
    "max_bbook_volume" DECIMAL(20,8),
    "priority_lp" VARCHAR(100),
    "fallback_mode" "ExecutionMode",

    CONSTRAINT "symbol_routing_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_settings" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER,
    "margin_call_level" DECIMAL(20,8),
    "stop_out_level" DECIMAL(20,8),
    "max_leverage" INTEGER,
    "max_position_size" DECIMAL(20,8),
    "max_daily_volume" DECIMAL(20,8),
    "max_open_positions" INTEGER,
    "max_symbol_exposure" DECIMAL(20,8),
    "negative_balance_protection" BOOLEAN,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "risk_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_id" INTEGER,
    "actor_role" VARCHAR(20),
    "action" VARCHAR(100) NOT NULL,
    "entity_type" VARCHAR(50),
    "entity_id" VARCHAR(100),
    "details" JSONB NOT NULL DEFAULT '{}',
    "ip" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE INDEX "users_role_idx" ON "users"("role");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_account_number_key" ON "accounts"("account_number");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE INDEX "accounts_status_idx" ON "accounts"("status");

-- CreateIndex
CREATE UNIQUE INDEX "symbols_name_key" ON "symbols"("name");

-- CreateIndex
CREATE INDEX "symbols_category_idx" ON "symbols"("category");

-- CreateIndex
CREATE INDEX "orders_account_id_status_idx" ON "orders"("account_id", "status");

-- CreateIndex
CREATE INDEX "orders_symbol_status_idx" ON "orders"("symbol", "status");

-- CreateIndex
CREATE INDEX "orders_created_at_idx" ON "orders"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "orders_account_id_idempotency_key_key" ON "orders"("account_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "positions_account_id_status_idx" ON "positions"("account_id", "status");

-- CreateIndex
CREATE INDEX "positions_symbol_status_idx" ON "positions"("symbol", "status");

-- CreateIndex
CREATE INDEX "positions_open_time_idx" ON "positions"("open_time");

-- CreateIndex
CREATE INDEX "positions_close_time_idx" ON "positions"("close_time");

-- CreateIndex
CREATE INDEX "trades_account_id_executed_at_idx" ON "trades"("account_id", "executed_at");

-- CreateIndex
CREATE INDEX "trades_position_id_idx" ON "trades"("position_id");

-- CreateIndex
CREATE INDEX "trades_executed_at_idx" ON "trades"("executed_at");

-- CreateIndex
CREATE INDEX "ledger_account_id_created_at_idx" ON "ledger"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "ledger_type_idx" ON "ledger"("type");

-- CreateIndex
CREATE INDEX "ledger_reference_type_reference_id_idx" ON "ledger"("reference_type", "reference_id");

-- CreateIndex
CREATE INDEX "withdrawal_requests_status_created_at_idx" ON "withdrawal_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "withdrawal_requests_account_id_idx" ON "withdrawal_requests"("account_id");

-- CreateIndex
CREATE INDEX "ticks_symbol_time_idx" ON "ticks"("symbol", "time" DESC);

-- CreateIndex
CREATE INDEX "ticks_lp_time_idx" ON "ticks"("lp", "time" DESC);

-- CreateIndex
CREATE INDEX "ohlc_symbol_timeframe_time_idx" ON "ohlc"("symbol", "timeframe", "time" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "liquidity_providers_name_key" ON "liquidity_providers"("name");

-- CreateIndex
CREATE UNIQUE INDEX "client_overrides_account_id_key" ON "client_overrides"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "symbol_routing_rules_symbol_key" ON "symbol_routing_rules"("symbol");

-- CreateIndex
CREATE UNIQUE INDEX "risk_settings_account_id_key" ON "risk_settings"("account_id");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_created_at_idx" ON "audit_log"("actor_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_position_id_fkey" FOREIGN KEY ("position_id") REFERENCES "positions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_position_id_fkey" FOREIGN KEY ("position_id") REFERENCES "positions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trades" ADD CONSTRAINT "trades_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger" ADD CONSTRAINT "ledger_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawal_requests" ADD CONSTRAINT "withdrawal_requests_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdrawal_requests" ADD CONSTRAINT "withdrawal_requests_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_overrides" ADD CONSTRAINT "client_overrides_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_settings" ADD CONSTRAINT "risk_settings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
