'use client';
import type { StaffUserRow } from '@broker/api';
import { passwordProblem } from '@broker/api/password-policy';
import { Button, Card, ErrorNotice, Field, Input, Modal, Select, TBody, THead, Table, TableRows, Td, Th, Tr, formatDateTime } from '@broker/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CreateStaffUserInput, ResetTwoFactorInput } from '../api/backoffice-schemas.ts';
import { engineErrorsToFields, issuesToFields, type FieldErrors } from '../staff/form-errors.ts';
import { appError, type AppErrorInfo } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/react.ts';

/** SUPER_ADMIN: the staff users, adding one, and resetting another's two-factor (lost phone and codes). */
export function StaffUsersCard({ selfId }: { selfId: number }) {
  const trpc = useTRPC();
  const users = useQuery(trpc.admin.security.staffUsers.queryOptions());
  const [resetting, setResetting] = useState<StaffUserRow | null>(null);
  const [adding, setAdding] = useState(false);
  return (
    <Card
      title="Staff users"
      data-testid="staff-users"
      actions={
        <Button size="sm" onClick={() => setAdding(true)} data-testid="staff-add">
          Add staff user
        </Button>
      }
    >
      <div className="overflow-x-auto">
        <Table>
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Two-factor</Th>
              <Th>Last sign-in</Th>
              <Th className="text-right">Actions</Th>
            </Tr>
          </THead>
          <TBody>
            <TableRows colSpan={6} query={users} rows={users.data} unavailable="Staff users unavailable" emptyText="No staff users">
              {(rows) => rows.map((u) => (
                <Tr key={u.id} data-testid={`staff-row-${u.id}`}>
                  <Td>{u.name}</Td>
                  <Td className="font-mono text-xs">{u.email}</Td>
                  <Td className="font-mono text-xs">{u.role}</Td>
                  <Td>{u.twoFactorEnabled ? <span className="text-emerald-400">On</span> : <span className="text-zinc-500">Off</span>}</Td>
                  <Td className="text-xs text-zinc-400">{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : '—'}</Td>
                  <Td className="text-right">
                    {u.twoFactorEnabled && u.id !== selfId && (
                      <Button size="sm" variant="danger" onClick={() => setResetting(u)} data-testid={`staff-reset-${u.id}`}>
                        Reset two-factor
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TableRows>
          </TBody>
        </Table>
      </div>
      {resetting && <ResetModal user={resetting} onClose={() => setResetting(null)} />}
      {adding && <AddStaffModal onClose={() => setAdding(false)} />}
    </Card>
  );
}

function ResetModal({ user, onClose }: { user: StaffUserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const reset = useMutation(trpc.admin.security.resetTwoFactor.mutationOptions());
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = ResetTwoFactorInput.safeParse({ userId: user.id, reason });
    if (!parsed.success) return setFieldError(parsed.error.issues[0]?.message);
    setFieldError(undefined);
    reset.mutate(parsed.data, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.security.staffUsers.queryKey() });
        onClose();
      },
      onError: (err) => setError(appError(err)),
    });
  }
  return (
    <Modal title={`Reset two-factor of ${user.name}`} onClose={onClose} data-testid="staff-reset">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 text-sm">
        <p className="text-zinc-300">
          {user.email} then signs in with the password alone and should set two-factor up again. Their sessions end now. Check who is asking first: this is
          how an account is taken over.
        </p>
        <Field label="Reason (goes to the audit log)" error={fieldError}>
          {(a) => <Input {...a} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="staff-reset-reason" />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" loading={reset.isPending} data-testid="staff-reset-submit">
            Reset two-factor
          </Button>
        </div>
        {error && <ErrorNotice error={error} />}
      </form>
    </Modal>
  );
}

type AddF = 'email' | 'username' | 'name' | 'role' | 'password';

function AddStaffModal({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', username: '', name: '', role: 'SUPPORT', password: '' });
  const [errors, setErrors] = useState<FieldErrors<AddF>>({});
  const [error, setError] = useState<AppErrorInfo | null>(null);
  const create = useMutation(trpc.admin.security.createStaffUser.mutationOptions());
  const set = (k: AddF) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = CreateStaffUserInput.safeParse(form);
    if (!parsed.success) return setErrors(issuesToFields<AddF>(parsed.error.issues));
    const problem = passwordProblem(parsed.data.password, { email: parsed.data.email, username: parsed.data.username });
    if (problem) return setErrors({ password: problem.message });
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.admin.security.staffUsers.queryKey() });
        onClose();
      },
      onError: (err) => {
        const info = appError(err);
        const field = info.details?.field as AddF | undefined;
        const fields = engineErrorsToFields<AddF>(info);
        if (field) fields[field] ??= info.message;
        setErrors(fields);
        if (!Object.keys(fields).length) setError(info);
      },
    });
  }
  return (
    <Modal title="Add staff user" onClose={onClose} size="lg" data-testid="staff-add-modal">
      <form onSubmit={onSubmit} noValidate className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
        <Field label="Email" error={errors.email}>
          {(a) => <Input {...a} type="email" autoComplete="off" value={form.email} onChange={set('email')} data-testid="staff-add-email" />}
        </Field>
        <Field label="Username" error={errors.username}>
          {(a) => <Input {...a} autoComplete="off" value={form.username} onChange={set('username')} data-testid="staff-add-username" />}
        </Field>
        <Field label="Name" error={errors.name}>
          {(a) => <Input {...a} value={form.name} onChange={set('name')} data-testid="staff-add-name" />}
        </Field>
        <Field label="Role" error={errors.role}>
          {(a) => (
            <Select {...a} value={form.role} onChange={set('role')} data-testid="staff-add-role">
              <option value="SUPPORT">SUPPORT</option>
              <option value="RISK_MANAGER">RISK_MANAGER</option>
              <option value="ADMIN">ADMIN</option>
              <option value="SUPER_ADMIN">SUPER_ADMIN</option>
            </Select>
          )}
        </Field>
        <Field label="Password" error={errors.password} errorTestId="staff-add-password-error" hint="At least 12 characters; hand it over safely" className="sm:col-span-2">
          {(a) => <Input {...a} type="password" autoComplete="new-password" maxLength={200} value={form.password} onChange={set('password')} data-testid="staff-add-password" />}
        </Field>
        <div className="flex justify-end gap-2 sm:col-span-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={create.isPending} data-testid="staff-add-submit">
            Add staff user
          </Button>
        </div>
        {error && <ErrorNotice className="sm:col-span-2" error={error} />}
      </form>
    </Modal>
  );
}
