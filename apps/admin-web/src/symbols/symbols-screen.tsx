'use client';
import type { SymbolAdminDto } from '@broker/api';
import { Button, Card, ErrorNotice, Input, RowAction, RowActions, StatusDot, TBody, THead, Table, TableRows, Td, Th, Tr } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Permissions } from '../staff/permissions.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { SymbolForm } from './symbol-form.tsx';

/** design.md §8.4: every symbol and its settings; changes apply to the next quote and order, audited. */
export function SymbolsScreen({ can }: { can: Permissions }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.symbols.list.queryOptions(undefined, { refetchInterval: 15_000 }));
  const toggle = useMutation(trpc.admin.symbols.update.mutationOptions());
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<SymbolAdminDto | null | 'new'>(null);
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const rows = (list.data ?? []).filter((s) => !search.trim() || `${s.name} ${s.description} ${s.category}`.toLowerCase().includes(search.trim().toLowerCase()));

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <Card
        title="Symbols"
        actions={
          can.editSymbols ? (
            <Button size="sm" variant="primary" onClick={() => setEditing('new')} data-testid="symbol-add">
              + Add symbol
            </Button>
          ) : (
            <span className="text-xs text-zinc-500">Read only: symbol settings are SUPER_ADMIN’s</span>
          )
        }
      >
        <div className="border-b border-zinc-800 p-3">
          <Input type="search" placeholder="Search symbol, description, category" value={search} onChange={(e) => setSearch(e.target.value)} className="sm:w-72!" aria-label="Search symbols" data-testid="symbols-search" />
        </div>
        {error && <ErrorNotice className="m-3" error={error} />}
        <div className="overflow-x-auto">
          <Table data-testid="symbols-table">
            <THead>
              <tr>
                <Th>Symbol</Th>
                <Th>Enabled</Th>
                <Th numeric title="Pips added to the LP spread">Markup</Th>
                <Th numeric title="Per lot, each side">Commission</Th>
                <Th numeric>Min · max · step</Th>
                <Th numeric>Margin %</Th>
                <Th numeric title="Per lot per night">Swap long · short</Th>
                <Th>3× swap</Th>
                <Th numeric title="Contract size · digits · pip">Contract</Th>
                <Th numeric title="Quote older than this stops trading">Stale</Th>
                <Th numeric title="A quote this far from the last is dropped">Max dev.</Th>
                <Th>Hours (UTC)</Th>
                <Th className="sticky right-0 bg-zinc-900" />
              </tr>
            </THead>
            <TBody>
              <TableRows colSpan={13} query={list} rows={rows} unavailable="Symbols unavailable" emptyText="No symbols match">
                {(r) =>
                  r.map((s) => (
                    <Tr key={s.name} data-testid={`symbol-row-${s.name}`}>
                      <Td>
                        <div className="font-semibold">{s.name}</div>
                        <div className="text-[10px] text-zinc-500">
                          {s.category} · {s.description}
                        </div>
                      </Td>
                      <Td>
                        <StatusDot tone={s.enabled ? 'ok' : 'idle'} label={s.enabled ? 'Yes' : 'No'} data-testid={`symbol-enabled-${s.name}`} />
                      </Td>
                      <Td numeric>{s.markupPips.toString()}</Td>
                      <Td numeric>{s.commissionPerLot.toFixed(2)}</Td>
                      <Td numeric>
                        {s.minVolume.toString()} · {s.maxVolume.toString()} · {s.volumeStep.toString()}
                      </Td>
                      <Td numeric>{s.marginPercent.toString()}</Td>
                      <Td numeric>
                        {s.swapLong.toString()} · {s.swapShort.toString()}
                      </Td>
                      <Td>{s.tripleSwapDay.slice(0, 3)}</Td>
                      <Td numeric>
                        {s.contractSize.toString()} · {s.digits} · {s.pipSize.toString()}
                      </Td>
                      <Td numeric>{(s.staleAfterMs / 1000).toFixed(1)} s</Td>
                      <Td numeric>{s.maxDeviation.times(100).toString()}%</Td>
                      <Td className="max-w-52 truncate text-[11px]" title={s.tradingHours.map((h) => `${h.day} ${h.open}-${h.close}`).join(', ')}>
                        {s.tradingHours.length ? s.tradingHours.map((h) => `${h.day.slice(0, 2)} ${h.open}-${h.close}`).join(', ') : 'always'}
                      </Td>
                      <RowActions>
                        {can.editSymbols && (
                          <>
                            <RowAction
                              tone={s.enabled ? 'rose' : 'sky'}
                              disabled={toggle.isPending}
                              onClick={() => {
                                setError(null);
                                toggle.mutate(
                                  { name: s.name, enabled: !s.enabled },
                                  { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.symbols.list.queryKey() }), onError: (e) => setError(appError(e)) },
                                );
                              }}
                              data-testid={`symbol-toggle-${s.name}`}
                            >
                              {s.enabled ? 'Disable' : 'Enable'}
                            </RowAction>
                            <RowAction tone="sky" onClick={() => setEditing(s)} data-testid={`symbol-edit-${s.name}`}>
                              Edit
                            </RowAction>
                          </>
                        )}
                      </RowActions>
                    </Tr>
                  ))
                }
              </TableRows>
            </TBody>
          </Table>
        </div>
      </Card>
      {editing && <SymbolForm symbol={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </main>
  );
}
