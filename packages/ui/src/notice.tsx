import type { ReactNode } from 'react';
import { cx } from './class-names.ts';

type DataAttrs = { [k: `data-${string}`]: string | number | boolean | undefined };

type NoticeProps = {
  testId?: string;
  /** The terminal's smaller size (ticket, modals); the back office uses the default. */
  compact?: boolean;
  className?: string;
  title?: string;
} & DataAttrs;

const BOX = {
  alert: { tag: 'div', tone: 'border-rose-500/40 bg-rose-500/10', text: ['text-rose-200', 'text-rose-200'] },
  // The terminal's confirmations are paragraphs in a lighter green.
  status: { tag: 'p', tone: 'border-emerald-500/30 bg-emerald-500/10', text: ['text-emerald-200', 'text-emerald-300'] },
} as const;

function NoticeBox({
  role,
  testId,
  compact = false,
  className,
  children,
  ...data
}: NoticeProps & { role: keyof typeof BOX; children: ReactNode }) {
  const box = BOX[role];
  const Tag = compact ? box.tag : 'div';
  return (
    <Tag
      role={role}
      className={cx('rounded border py-2', box.tone, compact ? 'px-2.5 text-xs' : 'px-3 text-sm', box.text[compact ? 1 : 0], className)}
      data-testid={testId}
      {...data}
    >
      {children}
    </Tag>
  );
}

/**
 * An engine rejection: its stable code in small mono type, then the message. `showCode={false}` (the trader's
 * terminal) keeps the code out of the text, in data-code and the tooltip only.
 */
export function ErrorNotice({ error, showCode = true, ...rest }: NoticeProps & { error: { code: string; message: string }; showCode?: boolean }) {
  return (
    <NoticeBox role="alert" data-code={error.code} title={showCode ? undefined : error.code} {...rest}>
      {showCode && <span className="mr-1.5 font-mono text-[10px] text-rose-400">{error.code}</span>}
      {error.message}
    </NoticeBox>
  );
}

/** What a successful action did, in green. */
export function SuccessNotice(props: NoticeProps & { children: ReactNode }) {
  return <NoticeBox role="status" {...props} />;
}
