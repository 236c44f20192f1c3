export { backendFactory } from './backend-factory.js';
export { MemoryBackend, type MemoryBackendOptions } from './memory-backend.js';
export { ScheduleIndex } from './schedule-index.js';
