import type { Backend, TimelineRecord } from '@digests/core';

export const T0 = 1_700_000_000_000;

export function rec(key: string, timestamp = T0, value: unknown = key): TimelineRecord {
  return { key, value, timestamp };
}

/** Every due key once: schedule, then digest each, collecting `timeline/record` ids. */
export async function drain(
  backend: Backend<unknown>,
  now: number,
  delivered: string[],
): Promise<void> {
  await backend.maintenance(now);
  for await (const { key } of backend.schedule(now)) {
    await backend.digest(key, (records) => {
      for (const r of records) delivered.push(`${key}/${r.key}`);
    });
  }
}

/** A logger that remembers its messages. */
export function memoryLogger(): { messages: string[]; warn(message: string): void } {
  const messages: string[] = [];
  return { messages, warn: (message: string) => messages.push(message) };
}
