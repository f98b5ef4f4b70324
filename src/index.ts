// The library API under the CLI: everything the commands do is reachable from here.
export { run, type RunOptions, type RunResult } from './engine/run.js';
export { selectGuards, guardSetHash, type RunHook, type SelectedGuard } from './engine/select.js';
export { decide } from './engine/decide.js';
export { FIXED_ENV } from './engine/environment.js';
export { loadConfig } from './config/load.js';
export { configFileSchema, guardSchema, HOOKS, LAYERS, type Config, type ResolvedGuard, type HookName } from './config/schema.js';
export { openRepository } from './store/repository.js';
export type { Repository, LogFilter, StoreWarning } from './store/types.js';
export { recordSchema, parseRecordLine, RECORD_VERSION, type RecordV1, type Verdict } from './store/record.js';
export { init, type InitOptions, type InitResult } from './hooks/init.js';
export { GuardloopError } from './errors/guardloop-error.js';
export { VERSION } from './version.js';
