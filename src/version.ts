declare const __GUARDLOOP_VERSION__: string | undefined;

// The package version, put into the bundle at build time (records say which guardloop wrote them).
export const VERSION: string = typeof __GUARDLOOP_VERSION__ === 'string' ? __GUARDLOOP_VERSION__ : '0.0.0-dev';
