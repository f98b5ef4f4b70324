// All user-facing wording lives under src/messages, one file per domain, each message carrying the fix.
export * from './agents.js';
export * from './config.js';
export * from './init.js';
export * from './run.js';
export * from './store.js';
export * from './repair.js';
