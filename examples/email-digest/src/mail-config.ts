/**
 * The mail side of the example, from `mail.config.json`: the links every
 * digest mail carries (issue, notification settings, unsubscribe) and the
 * teams that get their digests on a calendar window instead of the
 * backoff delays.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type CalendarWindow, ConfigurationError, checkCalendarWindow } from '@digests/core';

/**
 * URL templates; `{project}` (the project slug), `{team}` and, in `issue`,
 * `{issue}` are replaced by their URL-encoded values.
 *
 * @example
 * ```ts
 * const links: LinkTemplates = {
 *   issue: 'https://errors.example.com/{project}/issues/{issue}',
 *   settings: 'https://errors.example.com/settings/{team}',
 *   unsubscribe: 'https://errors.example.com/unsubscribe?team={team}&project={project}',
 * };
 * ```
 */
export interface LinkTemplates {
  readonly issue: string;
  readonly settings: string;
  readonly unsubscribe: string;
}

/**
 * One team's delivery settings.
 *
 * @example
 * ```ts
 * const team: TeamSettings = { window: { cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' }, label: 'weekdays 09:00 Europe/Berlin' };
 * ```
 */
export interface TeamSettings {
  readonly window: CalendarWindow;
  /** How the mail and the console name the window. */
  readonly label: string;
}

/**
 * The whole mail config.
 *
 * @example
 * ```ts
 * const config = await loadMailConfig(new URL('../mail.config.json', import.meta.url));
 * ```
 */
export interface MailConfig {
  readonly links: LinkTemplates;
  /** Teams on a calendar window, by team name; the others use the backoff delays. */
  readonly teams: Readonly<Record<string, TeamSettings>>;
}

/**
 * Reads and checks `mail.config.json`; a wrong field is a
 * `ConfigurationError` naming its path.
 *
 * @example
 * ```ts
 * const { links, teams } = await loadMailConfig(new URL('../mail.config.json', import.meta.url));
 * ```
 */
export async function loadMailConfig(url: URL): Promise<MailConfig> {
  const path = fileURLToPath(url);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ConfigurationError(`cannot read the mail config ${path}`, { cause });
  }
  return checkMailConfig(json);
}

/**
 * Checks a parsed mail config.
 *
 * @example
 * ```ts
 * checkMailConfig({ links: { issue: '…', settings: '…', unsubscribe: '…' }, teams: {} });
 * ```
 */
export function checkMailConfig(json: unknown): MailConfig {
  const root = object(json, 'mail config', ['$schema', 'links', 'teams']);
  const links = object(root.links, 'links', ['issue', 'settings', 'unsubscribe']);
  const templates = {
    issue: url(links.issue, 'links.issue'),
    settings: url(links.settings, 'links.settings'),
    unsubscribe: url(links.unsubscribe, 'links.unsubscribe'),
  };
  const teams: Record<string, TeamSettings> = {};
  for (const [team, value] of Object.entries(object(root.teams ?? {}, 'teams'))) {
    const settings = object(value, `teams.${team}`, ['window', 'label']);
    const window = checkCalendarWindow(settings.window, `teams.${team}.window`);
    const label = settings.label ?? `${window.cron} ${window.timeZone}`;
    if (typeof label !== 'string') throw new ConfigurationError(`teams.${team}.label must be text`);
    teams[team] = { window, label };
  }
  return { links: templates, teams };
}

/**
 * Fills a link template.
 *
 * @example
 * ```ts
 * fillLink('https://x.example/{project}/issues/{issue}', { project: 'checkout', issue: 'CHECKOUT-1' });
 * // 'https://x.example/checkout/issues/CHECKOUT-1'
 * ```
 */
export function fillLink(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : encodeURIComponent(values[name]),
  );
}

function object(value: unknown, path: string, fields?: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`${path} must be an object`);
  }
  const record = value as Record<string, unknown>;
  if (fields !== undefined) {
    for (const field of Object.keys(record)) {
      if (!fields.includes(field)) {
        throw new ConfigurationError(
          `${path}.${field} is not a field here (${fields.filter((f) => f !== '$schema').join(', ')})`,
        );
      }
    }
  }
  return record;
}

function url(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^https?:\/\//.test(value)) {
    throw new ConfigurationError(`${path} must be an http(s) URL template`);
  }
  return value;
}
