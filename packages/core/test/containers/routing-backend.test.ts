import { BackendUnavailableError, ConfigurationError, RoutingBackend } from '@digests/core';
import { FaultyBackend } from '@digests/core/testing';
import { MemoryBackend } from '@digests/memory';
import { describe, expect, it } from 'vitest';
import { drain, rec, T0 } from './helpers.js';

function setup() {
  const options = { clock: () => T0, minimumDelay: 0 };
  const mail = new FaultyBackend(new MemoryBackend(options));
  const rest = new FaultyBackend(new MemoryBackend(options));
  const routing = new RoutingBackend({
    predicate: (key) => key.startsWith('mail:'),
    primary: mail,
    secondary: rest,
  });
  return { routing, mail, rest };
}

describe('RoutingBackend', () => {
  it('sends each timeline to one backend only', async () => {
    const { routing, mail, rest } = setup();
    await routing.add('mail:1', rec('a'));
    await routing.add('sms:1', rec('b'));
    expect((await mail.inner.inspect('mail:1')).size).toBe(1);
    expect((await rest.inner.inspect('mail:1')).size).toBe(0);
    expect((await rest.inner.inspect('sms:1')).size).toBe(1);
    expect((await mail.inner.inspect('sms:1')).size).toBe(0);
    expect(routing.route('mail:x')).toBe(mail);
    await routing.delete('sms:1');
    expect(mail.calls('delete')).toBe(0);
  });

  it('schedules and delivers the union of both', async () => {
    const { routing } = setup();
    for (const key of ['mail:1', 'sms:1', 'mail:2', 'push:3']) await routing.add(key, rec('r'));
    const delivered: string[] = [];
    await drain(routing, T0 + 1, delivered);
    expect(delivered.sort()).toEqual(['mail:1/r', 'mail:2/r', 'push:3/r', 'sms:1/r']);
  });

  it('one backend down: the other side keeps delivering; writes to the down side fail', async () => {
    const { routing, rest } = setup();
    await routing.add('mail:1', rec('a'));
    await routing.add('sms:1', rec('b'));
    rest.down = true;
    await expect(routing.add('sms:2', rec('c'))).rejects.toBeInstanceOf(BackendUnavailableError);
    const delivered: string[] = [];
    await drain(routing, T0 + 1, delivered);
    expect(delivered).toEqual(['mail:1/a']);
    rest.down = false;
    await drain(routing, T0 + 1, delivered);
    expect(delivered).toEqual(['mail:1/a', 'sms:1/b']);
  });

  it('needs a predicate', () => {
    const memory = new MemoryBackend();
    expect(
      () =>
        new RoutingBackend({ predicate: undefined as never, primary: memory, secondary: memory }),
    ).toThrow(ConfigurationError);
  });
});
