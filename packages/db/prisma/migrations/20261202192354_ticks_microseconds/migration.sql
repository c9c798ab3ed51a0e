-- Ticks keep microseconds: TickWriter gives ticks of one symbol and LP within the same millisecond
-- consecutive microseconds, so the primary key (time, symbol, lp) no longer drops the second of them.
-- TimescaleDB's continuous aggregate over ticks (created by the engine at start, IF NOT EXISTS) would block
-- the column change; it is dropped here and the engine makes it again on its next start.
DO $$
BEGIN
  IF to_regclass('ohlc_1m_cagg') IS NOT NULL THEN
    EXECUTE 'DROP MATERIALIZED VIEW ohlc_1m_cagg CASCADE';
  END IF;
END $$;

-- AlterTable
ALTER TABLE "ticks" DROP CONSTRAINT "ticks_pkey",
ALTER COLUMN "time" SET DATA TYPE TIMESTAMPTZ(6),
ADD CONSTRAINT "ticks_pkey" PRIMARY KEY ("time", "symbol", "lp");
