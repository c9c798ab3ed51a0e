// The execution model's input schemas (zod), reused for client-side validation; taken from the file itself
// for the same reason as backoffice-schemas.ts (the package's root entry carries the server's routers).
export * from '../../../../packages/api/src/execution-schemas.ts';
