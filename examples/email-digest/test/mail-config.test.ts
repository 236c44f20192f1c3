import { ConfigurationError } from '@digests/core';
import { describe, expect, it } from 'vitest';
import { checkMailConfig, fillLink, loadMailConfig } from '../src/mail-config.js';
import { metricsFlag } from '../src/metrics-endpoint.js';

const links = {
  issue: 'https://errors.example.com/{project}/issues/{issue}',
  settings: 'https://errors.example.com/settings/{team}',
  unsubscribe: 'https://errors.example.com/unsubscribe?team={team}&project={project}',
};

describe('mail.config.json', () => {
  it('the shipped file puts team payments-eu on weekdays 09:00 Europe/Berlin', async () => {
    const config = await loadMailConfig(new URL('../mail.config.json', import.meta.url));
    expect(config.teams['payments-eu']).toEqual({
      window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' },
      label: 'weekdays 09:00 Europe/Berlin',
    });
  });

  it('rejects a misspelled field or a bad window, naming the path', () => {
    expect(() => checkMailConfig({ links, teems: {} })).toThrow(
      /mail config\.teems is not a field/,
    );
    expect(() => checkMailConfig({ links: { ...links, unsubcribe: 'x' } })).toThrow(
      /links\.unsubcribe is not a field here/,
    );
    expect(() =>
      checkMailConfig({
        links,
        teams: { web: { window: { cron: '0 9 * * *', timeZone: 'Berlin' } } },
      }),
    ).toThrow(/teams\.web\.window\.timeZone must be an IANA time zone/);
    expect(() => checkMailConfig({ links: { ...links, issue: 'javascript:alert(1)' } })).toThrow(
      ConfigurationError,
    );
  });

  it('fills templates with URL-encoded values', () => {
    expect(fillLink(links.unsubscribe, { team: 'a&b', project: 'web front' })).toBe(
      'https://errors.example.com/unsubscribe?team=a%26b&project=web%20front',
    );
    expect(fillLink(links.issue, { project: 'p' })).toBe(
      'https://errors.example.com/p/issues/{issue}',
    );
  });
});

describe('--metrics', () => {
  it('is off by default, 9464 bare, or the given port', () => {
    expect(metricsFlag([])).toBeUndefined();
    expect(metricsFlag(['--metrics'])).toBe(9464);
    expect(metricsFlag(['--metrics=9500'])).toBe(9500);
    expect(() => metricsFlag(['--metrics=0'])).toThrow(ConfigurationError);
    expect(() => metricsFlag(['--metric'])).toThrow(/unknown argument/);
  });
});
