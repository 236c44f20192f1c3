import { describe, expect, it } from 'vitest';
import { closeClient, openClient } from '../src/connection.js';

describe('the client a backend opens from a URL', () => {
  it('never re-sends a command whose reply was lost (the server may have run it)', async () => {
    const client = openClient('redis://127.0.0.1:1');
    try {
      expect(client.options.autoResendUnfulfilledCommands).toBe(false);
      expect(client.options.maxRetriesPerRequest).toBe(1);
      // The default operationTimeout: a server that stops answering fails the command.
      expect(client.options.commandTimeout).toBe(10_000);
    } finally {
      await closeClient(client);
    }
  });

  it('takes operationTimeout as commandTimeout, and connects no slower than it', async () => {
    const client = openClient('redis://127.0.0.1:1', 750);
    try {
      expect(client.options.commandTimeout).toBe(750);
      expect(client.options.connectTimeout).toBe(750);
    } finally {
      await closeClient(client);
    }
  });
});
