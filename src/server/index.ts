// The server's public surface for the CLI (and the console's API types).
export * from './api/types.ts';
export { startServer, adminTokenFileName, serverInfoFileName, type ServerOptions, type RunningServer, type StartResult } from './run-server.ts';
export { serverModules, type ServerModule, type ModuleEnv, type ModuleInstance } from './modules.ts';
export { openStore, parseStoreLocator } from './storage/open-store.ts';
export type { Store } from './storage/store.ts';
export { buildApp, type AppOptions, type App } from './http/app.ts';
export * from './client/index.ts';
