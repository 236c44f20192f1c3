export { EXIT, run } from './cli.js';
export { type AddInput, addCommand } from './commands/add.js';
export { inspectCommand } from './commands/inspect.js';
export { statsCommand } from './commands/stats.js';
export { type WorkerCommandOptions, workerCommand } from './commands/worker.js';
export { configPath, DEFAULT_CONFIG, type OpenedStore, openStore } from './config.js';
export { CommandError, UsageError } from './errors.js';
export type { CliIo } from './io.js';
export { formatDuration, formatWhen, Output } from './output.js';
