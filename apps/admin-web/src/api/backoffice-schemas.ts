// The back office's input schemas (zod), reused for client-side validation. `@broker/api` exports them only
// from its root entry, which also carries the server's routers; until the package exports
// `./backoffice-schemas` on its own, the browser bundle takes the file itself.
export * from '../../../../packages/api/src/backoffice-schemas.ts';
