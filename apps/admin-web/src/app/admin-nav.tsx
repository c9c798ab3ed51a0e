'use client';
import type { AuthUser } from '@broker/api';
import { Button, cx } from '@broker/ui';
import Link from 'next/link';
import { signOut } from 'next-auth/react';

const LINKS = [
  { id: 'accounts', href: '/accounts', label: 'Accounts' },
  { id: 'risk', href: '/risk', label: 'Risk' },
  { id: 'lps', href: '/lps', label: 'LPs' },
] as const;

export function AdminNav({ user, active }: { user: AuthUser; active: (typeof LINKS)[number]['id'] }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-6 border-b border-zinc-800 bg-zinc-900 px-4">
      <span className="text-base font-semibold tracking-tight">
        <span className="text-sky-400">RTX</span> Back Office
      </span>
      <nav className="flex gap-1">
        {LINKS.map((l) => (
          <Link
            key={l.id}
            href={l.href}
            aria-current={l.id === active ? 'page' : undefined}
            data-testid={`nav-${l.id}`}
            className={cx(
              'rounded px-3 py-1.5 text-sm',
              l.id === active ? 'bg-zinc-800 text-zinc-100' : 'text-zinc-400 hover:text-zinc-100',
            )}
          >
            {l.label}
          </Link>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-3 text-sm">
        <span className="text-zinc-400">{user.name || user.email}</span>
        <span className="rounded bg-sky-500/15 px-2 py-0.5 font-mono text-[11px] font-semibold text-sky-300" data-testid="nav-role">
          {user.role}
        </span>
        <Button size="sm" variant="ghost" onClick={() => void signOut({ callbackUrl: '/login' })} data-testid="logout">
          Log out
        </Button>
      </div>
    </header>
  );
}
