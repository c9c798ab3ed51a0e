'use client';
// design.md §2.4.3, §8.3: the execution model a dealer runs — the routing configuration in the router's order
// of precedence, client overrides, symbol rules, the routing report, the orders sent to LPs and the house's
// coverage. Every change applies to the next order and is audited (action execution.*).
import Link from 'next/link';
import type { Permissions } from '../staff/permissions.ts';
import { ConfigCard } from './config-card.tsx';
import { CoverageCard, LpOrdersCard } from './lp-cards.tsx';
import { ReportCard } from './report-card.tsx';
import { OverridesCard, SymbolRulesCard } from './rules-cards.tsx';

export function ExecutionScreen({ can, initialLpStatus }: { can: Permissions; initialLpStatus?: 'UNKNOWN' }) {
  return (
    <main className="grid flex-1 grid-cols-1 content-start items-start gap-3 p-2 md:p-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <div className="flex flex-wrap items-center justify-between gap-2 lg:col-span-2">
        <h1 className="text-base font-semibold">Execution model</h1>
        <Link href="/audit?action=execution." className="text-xs text-sky-300 hover:underline" data-testid="exec-audit-link">
          Every change to the execution model in the audit log →
        </Link>
      </div>
      <ConfigCard canEdit={can.editExecution} />
      <div className="flex min-w-0 flex-col gap-3">
        <OverridesCard canEdit={can.editExecution} />
        <SymbolRulesCard canEdit={can.editExecution} />
      </div>
      <ReportCard />
      <LpOrdersCard initialStatus={initialLpStatus} />
      <div className="lg:col-span-2">
        <CoverageCard />
      </div>
    </main>
  );
}
