import { useEffect, useState } from 'react';

/** The injected clock, re-read every second while `live` (the countdowns). */
export function useNow(now: () => number, live: boolean): number {
  const [value, setValue] = useState(now);
  useEffect(() => {
    if (!live) return;
    setValue(now());
    const timer = setInterval(() => setValue(now()), 1000);
    return () => clearInterval(timer);
  }, [now, live]);
  return value;
}
