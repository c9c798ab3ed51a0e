// @broker/quickfix: node-quickfix 2.1.1 ported to Node 20 and Debian's QuickFIX 1.15.1, a typed session
// wrapper, FIX 4.4 helpers and an LP simulator.
export { loadQuickfix, addonPath } from './load.js';
export type { LoadResult } from './load.js';
export type * from './binding.js';
export { FixEndpoint, FixInitiator, FixAcceptor, buildSettings, findDataDictionary } from './session.js';
export type { FixSessionConfig, FixHandlers, InitiatorOptions, AcceptorOptions, SeqNums } from './session.js';
export {
  utcTimestamp,
  msgType,
  tag,
  marketDataRequest,
  newOrderSingle,
  parseMarketData,
  parseMarketDataReject,
  parseExecutionReport,
} from './fix44.js';
export type { Side, OrdType, Quote, MarketDataReject, ExecType, ExecutionReport } from './fix44.js';
export { LpSimulator, DEFAULT_SYMBOLS } from './simulator.js';
export type { SimulatorOptions, SimSymbol, ExecMode } from './simulator.js';
