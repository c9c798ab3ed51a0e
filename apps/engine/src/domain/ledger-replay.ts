import { Decimal } from 'decimal.js';

/** One ledger row as reconciliation reads it. */
export interface LedgerFacts {
  id: bigint;
  type: string;
  amount: Decimal;
  balanceBefore: Decimal;
  balanceAfter: Decimal;
}

export interface LedgerBreakFound {
  kind: 'ledger' | 'credit';
  id: string;
  expected: string;
  actual: string;
  message: string;
}

/**
 * Rebuilds balance and credit from an account's ledger in booking order (trading-rules.md, Ledger;
 * docs/trading-rules-notes.md, Credit): balance = Σ amounts of every row but CREDIT, credit = Σ CREDIT amounts.
 * Each row must start where the one before ended; a balance row ends at start + amount, a CREDIT row where it
 * started (it moves credit, not balance), and the running credit never goes below 0.
 */
export function replayLedger(rows: readonly LedgerFacts[]): { balance: Decimal; credit: Decimal; breaks: LedgerBreakFound[] } {
  const breaks: LedgerBreakFound[] = [];
  let balance = new Decimal(0);
  let credit = new Decimal(0);
  for (const row of rows) {
    const isCredit = row.type === 'CREDIT';
    const id = row.id.toString();
    const end = isCredit ? row.balanceBefore : row.balanceBefore.plus(row.amount);
    if (!row.balanceBefore.eq(balance))
      breaks.push({ kind: 'ledger', id, expected: balance.toFixed(2), actual: row.balanceBefore.toFixed(2), message: `Entry #${id} starts from ${row.balanceBefore.toFixed(2)}; the entries before it end at ${balance.toFixed(2)}` });
    else if (!end.eq(row.balanceAfter))
      breaks.push({
        kind: 'ledger',
        id,
        expected: end.toFixed(2),
        actual: row.balanceAfter.toFixed(2),
        message: isCredit
          ? `Entry #${id} is credit, which leaves the balance at ${row.balanceBefore.toFixed(2)}, but ends at ${row.balanceAfter.toFixed(2)}`
          : `Entry #${id}: ${row.balanceBefore.toFixed(2)} + ${row.amount.toFixed(2)} is not ${row.balanceAfter.toFixed(2)}`,
      });
    if (isCredit) {
      credit = credit.plus(row.amount);
      if (credit.lt(0)) breaks.push({ kind: 'credit', id, expected: '0.00', actual: credit.toFixed(2), message: `Entry #${id} takes the credit to ${credit.toFixed(2)}, below 0` });
    } else balance = balance.plus(row.amount);
  }
  return { balance, credit, breaks };
}
