'use client';
import type { AuditRowDto } from '@broker/api';
import { Button, Card, ErrorBanner, Field, Input, TBody, THead, Table, TableRows, Td, Th, Tr, cx } from '@broker/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { AuditQueryInput } from '../api/backoffice-schemas.ts';
import { issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { useTRPC } from '../trpc/react.ts';
import { DetailsView } from './details-view.tsx';

const PAGE = 50;
type F = 'actorId' | 'action' | 'entityType' | 'entityId' | 'from' | 'to';
const EMPTY: Record<F, string> = { actorId: '', action: '', entityType: '', entityId: '', from: '', to: '' };

/** design.md §9.3: who did what, when, from where, with before and after; newest first, paged by `before`. */
export function AuditScreen({ initialAction }: { initialAction?: string } = {}) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ ...EMPTY, action: initialAction ?? '' });
  const [filter, setFilter] = useState<AuditQueryInput>(() => ({ limit: PAGE, ...(initialAction ? { action: initialAction } : {}) }));
  const [stack, setStack] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery(trpc.admin.audit.log.queryOptions({ ...filter, before: stack.at(-1) }, { placeholderData: keepPreviousData, refetchInterval: 15_000 }));
  const rows = q.data?.rows ?? [];

  function apply(e: FormEvent) {
    e.preventDefault();
    const parsed = AuditQueryInput.safeParse({
      actorId: draft.actorId.trim() ? Number(draft.actorId) : undefined,
      action: draft.action.trim() || undefined,
      entityType: draft.entityType.trim() || undefined,
      entityId: draft.entityId.trim() || undefined,
      from: draft.from ? new Date(draft.from) : undefined,
      to: draft.to ? new Date(draft.to) : undefined,
      limit: PAGE,
    });
    if (!parsed.success) return setErrors(issuesToFields<F>(parsed.error.issues));
    setErrors({});
    setStack([]);
    setFilter(parsed.data);
  }
  const set = (k: F) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <main className="flex flex-1 flex-col gap-3 p-2 md:p-3">
      <Card title="Audit log">
        <form onSubmit={apply} noValidate className="grid grid-cols-2 items-end gap-2 border-b border-zinc-800 p-3 sm:grid-cols-3 lg:grid-cols-7">
          <Field label="Actor id" error={errors.actorId}>
            {(a) => <Input {...a} inputMode="numeric" value={draft.actorId} onChange={set('actorId')} data-testid="audit-actor" />}
          </Field>
          <Field label="Action" error={errors.action}>
            {(a) => <Input {...a} placeholder="e.g. DEPOSIT" value={draft.action} onChange={set('action')} data-testid="audit-action" />}
          </Field>
          <Field label="Entity" error={errors.entityType}>
            {(a) => <Input {...a} placeholder="account, ledger…" value={draft.entityType} onChange={set('entityType')} data-testid="audit-entity" />}
          </Field>
          <Field label="Entity id" error={errors.entityId}>
            {(a) => <Input {...a} value={draft.entityId} onChange={set('entityId')} data-testid="audit-entity-id" />}
          </Field>
          <Field label="From" error={errors.from}>
            {(a) => <Input {...a} type="datetime-local" value={draft.from} onChange={set('from')} data-testid="audit-from" />}
          </Field>
          <Field label="To" error={errors.to}>
            {(a) => <Input {...a} type="datetime-local" value={draft.to} onChange={set('to')} data-testid="audit-to" />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" variant="primary" data-testid="audit-apply">
              Filter
            </Button>
            <Button
              onClick={() => {
                setDraft(EMPTY);
                setErrors({});
                setStack([]);
                setFilter({ limit: PAGE });
              }}
            >
              Clear
            </Button>
          </div>
        </form>
        {q.isError && <ErrorBanner className="m-3" title="Audit log unavailable" message={q.error.message} onRetry={() => void q.refetch()} />}
        <div className="overflow-x-auto">
          <Table data-testid="audit-table">
            <THead>
              <tr>
                <Th>When</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Entity</Th>
                <Th>From</Th>
                <Th />
              </tr>
            </THead>
            <TBody>
              <TableRows colSpan={6} query={q} rows={q.data?.rows} unavailable="Audit log unavailable" emptyText="No entries match">
                {(r) => r.map((row) => <AuditRow key={row.id} row={row} open={open === row.id} onToggle={() => setOpen(open === row.id ? null : row.id)} />)}
              </TableRows>
            </TBody>
          </Table>
        </div>
        <div className="flex items-center justify-between border-t border-zinc-800 px-3 py-2 text-xs text-zinc-500">
          <span>{stack.length ? `Older entries, page ${stack.length + 1}` : 'Newest first'}</span>
          <span className="flex gap-1">
            <Button size="sm" disabled={!stack.length} onClick={() => setStack((s) => s.slice(0, -1))}>
              ‹ Newer
            </Button>
            <Button size="sm" disabled={rows.length < PAGE} onClick={() => setStack((s) => [...s, rows.at(-1)!.id])} data-testid="audit-older">
              Older ›
            </Button>
          </span>
        </div>
      </Card>
    </main>
  );
}

function AuditRow({ row, open, onToggle }: { row: AuditRowDto; open: boolean; onToggle: () => void }) {
  const ua = (row.details as { userAgent?: unknown } | null)?.userAgent;
  return (
    <Fragment>
      <Tr className={cx('cursor-pointer', open && 'bg-zinc-800/40')} onClick={onToggle} data-testid={`audit-row-${row.id}`} data-action={row.action}>
        <Td>{row.createdAt.toLocaleString()}</Td>
        <Td>
          <div>{row.actorEmail ?? (row.actorId === null ? 'system' : `#${row.actorId}`)}</div>
          {row.actorRole && <div className="text-[10px] text-zinc-500">{row.actorRole}</div>}
        </Td>
        <Td className="font-mono font-semibold">{row.action}</Td>
        <Td>
          {row.entityType} {row.entityId && <span className="font-mono text-zinc-400">#{row.entityId}</span>}
        </Td>
        <Td>
          <div className="font-mono">{row.ip ?? '—'}</div>
          {typeof ua === 'string' && <div className="max-w-40 truncate text-[10px] text-zinc-500" title={ua}>{ua}</div>}
        </Td>
        <Td>
          <button type="button" className="text-sky-300 hover:underline" aria-expanded={open} onClick={(e) => (e.stopPropagation(), onToggle())}>
            {open ? 'Hide' : 'Details'}
          </button>
        </Td>
      </Tr>
      {open && (
        <tr className="border-b border-zinc-800">
          <td colSpan={6} className="bg-zinc-950/60 px-3 py-2">
            <DetailsView details={row.details} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
