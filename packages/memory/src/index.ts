export { backendFactory } from './backend-factory.js';
export { MemoryBackend, type MemoryBackendOptions } from './memory-backend.js';
export { MemoryStore } from './memory-store.js';
export { ScheduleIndex } from './schedule-index.js';
