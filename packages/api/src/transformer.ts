// One superjson instance for the engine and both web apps: Decimal crosses the wire as a decimal string
// and arrives as a Decimal (style.md: money and prices are never JS numbers). Keep this file free of server code.
import { Decimal } from 'decimal.js';
import superjson from 'superjson';

superjson.registerCustom<Decimal, string>(
  {
    isApplicable: (v): v is Decimal => Decimal.isDecimal(v),
    serialize: (v) => v.toString(),
    deserialize: (v) => new Decimal(v),
  },
  'decimal.js',
);

export const transformer = superjson;
export { Decimal };
