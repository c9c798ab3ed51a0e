// The execution model's input schemas (zod), reused for client-side validation, from the package's own
// browser-safe entry (its root entry also carries the server's routers).
export * from '@broker/api/execution-schemas';
