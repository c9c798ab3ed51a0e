export { appRouter, type AppRouter } from './root.ts';
export { createCallerFactory, type Context, type Meta, type Access } from './trpc.ts';
export * from './engine.ts';
export * from './errors.ts';
export * from './roles.ts';
export * from './schemas.ts';
export * from './backoffice-schemas.ts';
export * from './socket.ts';
export { transformer } from './transformer.ts';
