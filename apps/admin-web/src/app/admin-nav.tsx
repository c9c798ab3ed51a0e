'use client';
import type { AuthUser } from '@broker/api';
import { Button, cx } from '@broker/ui';
import Link from 'next/link';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { useTRPCClient } from '../trpc/react.ts';

const LINKS = [
  { id: 'dashboard', href: '/', label: 'Dashboard' },
  { id: 'accounts', href: '/accounts', label: 'Accounts' },
  { id: 'money', href: '/money', label: 'Money' },
  { id: 'dealing', href: '/dealing', label: 'Dealing' },
  { id: 'symbols', href: '/symbols', label: 'Symbols' },
  { id: 'execution', href: '/execution', label: 'Execution' },
  { id: 'reports', href: '/reports', label: 'Reports' },
  { id: 'risk', href: '/risk', label: 'Risk' },
  { id: 'lps', href: '/lps', label: 'LPs' },
  { id: 'audit', href: '/audit', label: 'Audit log' },
  { id: 'security', href: '/security', label: 'Security' },
] as const;

export type NavId = (typeof LINKS)[number]['id'];

/** The top bar; under 768 px the links fold into a menu button so the page keeps its width. */
export function AdminNav({ user, active }: { user: AuthUser; active: NavId }) {
  const [open, setOpen] = useState(false);
  // Sign-out revokes the engine token too (every device; sockets close), then ends the next-auth session.
  const trpcClient = useTRPCClient();
  const signOutEverywhere = async () => {
    await trpcClient.auth.logout.mutate().catch(() => undefined);
    await signOut({ callbackUrl: '/login' });
  };
  return (
    <header className="shrink-0 border-b border-zinc-800 bg-zinc-900">
      <div className="flex h-12 items-center gap-4 px-3 md:px-4">
        <Link href="/" className="shrink-0 text-base font-semibold tracking-tight">
          <span className="text-sky-400">RTX</span> Back Office
        </Link>
        <nav className="hidden gap-0.5 lg:flex" aria-label="Sections">
          {LINKS.map((l) => (
            <NavLink key={l.id} link={l} active={l.id === active} />
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2 text-sm md:gap-3">
          <span className="hidden text-zinc-400 2xl:inline">{user.name || user.email}</span>
          <span className="rounded bg-sky-500/15 px-2 py-0.5 font-mono text-[11px] font-semibold text-sky-300" data-testid="nav-role">
            {user.role}
          </span>
          <span className="hidden lg:inline">
            <Button size="sm" variant="ghost" onClick={() => void signOutEverywhere()} data-testid="logout">
              Log out
            </Button>
          </span>
          <button
            type="button"
            className="rounded border border-zinc-700 px-2.5 py-1 text-sm text-zinc-200 lg:hidden"
            aria-expanded={open}
            aria-controls="nav-menu"
            onClick={() => setOpen((o) => !o)}
            data-testid="nav-menu"
          >
            {open ? 'Close' : 'Menu'}
          </button>
        </div>
      </div>
      {open && (
        <nav id="nav-menu" className="flex flex-col gap-1 border-t border-zinc-800 p-2 lg:hidden" aria-label="Sections">
          {LINKS.map((l) => (
            <NavLink key={l.id} link={l} active={l.id === active} mobile />
          ))}
          <Button size="sm" variant="ghost" className="justify-start" onClick={() => void signOutEverywhere()}>
            Log out ({user.email})
          </Button>
        </nav>
      )}
    </header>
  );
}

function NavLink({ link, active, mobile }: { link: (typeof LINKS)[number]; active: boolean; mobile?: boolean }) {
  return (
    <Link
      href={link.href}
      aria-current={active ? 'page' : undefined}
      data-testid={mobile ? `nav-m-${link.id}` : `nav-${link.id}`}
      className={cx('rounded px-2.5 py-1.5 text-sm', active ? 'bg-zinc-800 text-zinc-100' : 'text-zinc-400 hover:text-zinc-100')}
    >
      {link.label}
    </Link>
  );
}
