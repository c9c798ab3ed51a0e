'use client';
import { useEffect, useState } from 'react';

/** The current time in Unix ms, re-rendering every `intervalMs`: for live ages ("3 s ago"). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
