/**
 * `@digests/dashboard`: see and act on timelines in a browser, over any
 * `Backend`. Run it with `digests dashboard`, start it with
 * {@link startDashboard}, or mount {@link createDashboardHandler} in an
 * existing Node HTTP app.
 *
 * @module
 */
export {
  ACTIONS,
  type ActionName,
  type ActionOutcome,
  type ActionRequest,
  BadRequestError,
  describeAction,
  MAX_ACTION_RECORDS,
  noticeOf,
  parseAction,
  runAction,
} from './actions.js';
export { DEFAULT_SCAN_LIMIT, type KeyPage, type KeyPageRequest, keyPage } from './filtered-list.js';
export { createDashboardHandler, type DashboardHandler, type DashboardOptions } from './handler.js';
export { escapeHtml, type HtmlValue, html, type SafeHtml, toHtml } from './html.js';
export {
  hasPeek,
  type PeekedRecord,
  type PeekOptions,
  type PeekPage,
  type PeekSource,
} from './peek.js';
export {
  type DashboardServerOptions,
  DEFAULT_PORT,
  isLoopback,
  type RunningDashboard,
  startDashboard,
  TOKEN_ENV,
} from './server.js';
