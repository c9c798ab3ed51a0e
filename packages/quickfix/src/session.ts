// A thin typed wrapper over the addon: initiator and acceptor sessions configured from an object.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  NativeCallbacks,
  NativeConnection,
  NativeOptions,
  OutgoingMessage,
  QuickfixBinding,
  ReceivedMessage,
  SessionId,
} from './binding.js';
import { loadQuickfix } from './load.js';

export interface FixSessionConfig {
  senderCompId: string;
  targetCompId: string;
  /** Initiator: host to connect to (default 127.0.0.1). */
  host?: string;
  /** Initiator: port to connect to; acceptor: port to listen on. */
  port: number;
  /** Default FIX.4.4. */
  beginString?: string;
  /** Seconds, default 30. */
  heartBtInt?: number;
  /** Initiator: seconds between reconnection attempts, default 5. */
  reconnectInterval?: number;
  /** Folder of the file store (sequence numbers and sent messages survive restarts). */
  fileStorePath: string;
  /** Folder of QuickFIX's message/event logs; none when omitted. */
  fileLogPath?: string;
  /** FIX44.xml path; default: findDataDictionary(). `false`: no dictionary (repeating groups are then not parsed). */
  dataDictionary?: string | false;
  /** Reset sequence numbers on every logon (default false: they continue). */
  resetOnLogon?: boolean;
  /** Further QuickFIX session settings, written as they are. */
  extraSettings?: Record<string, string | number | boolean>;
}

export interface FixHandlers {
  onCreate?(sessionId: SessionId): void;
  onLogon?(sessionId: SessionId): void;
  onLogout?(sessionId: SessionId): void;
  /** Notification of an outgoing admin message (a copy: changing it changes nothing; 553/554 come from `credentials`). */
  toAdmin?(message: ReceivedMessage, sessionId: SessionId): void;
  fromAdmin?(message: ReceivedMessage, sessionId: SessionId): void;
  toApp?(message: ReceivedMessage, sessionId: SessionId): void;
  fromApp?(message: ReceivedMessage, sessionId: SessionId): void;
}

export interface InitiatorOptions extends FixSessionConfig {
  /** Username (553) / Password (554) added to the outgoing Logon by the addon's toAdmin. */
  credentials?: { username?: string; password?: string };
}

export interface AcceptorOptions extends FixSessionConfig {
  /** Decides on an incoming Logon (553/554 in message.tags); a rejected logon is answered with a Logout. */
  onLogonAttempt?(message: ReceivedMessage, sessionId: SessionId): boolean | Promise<boolean>;
  /** ms a session waits for onLogonAttempt before rejecting (default 10000). */
  logonTimeout?: number;
}

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Debian's libquickfix-dev ships no FIX44.xml: use /usr/share/quickfix's when present, else this package's copy. */
export function findDataDictionary(version = 'FIX44'): string {
  const candidates = [
    process.env.QUICKFIX_DATA_DICTIONARY,
    `/usr/share/quickfix/${version}.xml`,
    `/usr/local/share/quickfix/${version}.xml`,
    path.join(pkgDir, 'spec', `${version}.xml`),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no ${version}.xml data dictionary found (looked in ${candidates.join(', ')})`);
  return found;
}

/** QuickFIX settings text for one session. */
export function buildSettings(role: 'initiator' | 'acceptor', config: FixSessionConfig): string {
  const s: Record<string, string | number | boolean> = {
    ConnectionType: role,
    BeginString: config.beginString ?? 'FIX.4.4',
    SenderCompID: config.senderCompId,
    TargetCompID: config.targetCompId,
    StartTime: '00:00:00',
    EndTime: '00:00:00',
    NonStopSession: 'Y',
    HeartBtInt: config.heartBtInt ?? 30,
    FileStorePath: path.resolve(config.fileStorePath),
    PersistMessages: 'Y',
    ResetOnLogon: config.resetOnLogon ? 'Y' : 'N',
    ResetOnLogout: 'N',
    ResetOnDisconnect: 'N',
    SocketNodelay: 'Y',
  };
  if (config.fileLogPath) s.FileLogPath = path.resolve(config.fileLogPath);
  if (config.dataDictionary === false) {
    s.UseDataDictionary = 'N';
  } else {
    s.UseDataDictionary = 'Y';
    s.DataDictionary = config.dataDictionary ?? findDataDictionary();
    s.ValidateUserDefinedFields = 'N';
    s.AllowUnknownMsgFields = 'Y';
  }
  if (role === 'initiator') {
    s.SocketConnectHost = config.host ?? '127.0.0.1';
    s.SocketConnectPort = config.port;
    s.ReconnectInterval = config.reconnectInterval ?? 5;
  } else {
    s.SocketAcceptPort = config.port;
    s.SocketReuseAddress = 'Y';
  }
  Object.assign(s, config.extraSettings ?? {});
  const lines = Object.entries(s).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'Y' : 'N') : v}`);
  return ['[DEFAULT]', ...lines, '', '[SESSION]', ''].join('\n');
}

function requireBinding(): QuickfixBinding {
  const r = loadQuickfix();
  if (!r.ok) throw new Error(`QuickFIX is unavailable: ${r.reason}`);
  return r.binding;
}

export interface SeqNums {
  /** Next MsgSeqNum this side sends. */
  nextSender: number;
  /** Next MsgSeqNum expected from the counterparty. */
  nextTarget: number;
}

/** Logon state shared by an endpoint and the callbacks it gives the addon. */
class LogonState {
  loggedOn = false;
  logonWaiters: Array<() => void> = [];
  logoutWaiters: Array<() => void> = [];
}

/** A started-or-stopped FIX endpoint with one session. */
export class FixEndpoint {
  readonly sessionId: SessionId;
  private running = false;

  protected constructor(
    protected readonly native: NativeConnection,
    readonly config: FixSessionConfig,
    private readonly state: LogonState,
  ) {
    this.sessionId = {
      beginString: config.beginString ?? 'FIX.4.4',
      senderCompID: config.senderCompId,
      targetCompID: config.targetCompId,
    };
  }

  /** Wraps user handlers to track logon state. */
  protected static callbacks(handlers: FixHandlers, me: LogonState): NativeCallbacks {
    const cb: NativeCallbacks = {
      onLogon: (sid) => {
        me.loggedOn = true;
        me.logonWaiters.splice(0).forEach((f) => f());
        handlers.onLogon?.(sid);
      },
      onLogout: (sid) => {
        me.loggedOn = false;
        me.logoutWaiters.splice(0).forEach((f) => f());
        handlers.onLogout?.(sid);
      },
    };
    for (const k of ['onCreate', 'toAdmin', 'fromAdmin', 'toApp', 'fromApp'] as const) {
      const h = handlers[k];
      if (h) (cb as Record<string, unknown>)[k] = h.bind(handlers);
    }
    return cb;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Logged on as reported by the last onLogon/onLogout event. */
  get isLoggedOn(): boolean {
    return this.state.loggedOn;
  }

  async start(): Promise<void> {
    mkdirSync(path.resolve(this.config.fileStorePath), { recursive: true });
    if (this.config.fileLogPath) mkdirSync(path.resolve(this.config.fileLogPath), { recursive: true });
    await new Promise<void>((resolve, reject) => this.native.start((err) => (err ? reject(err) : resolve())));
    this.running = true;
  }

  /** Logs out (unless force) and stops; the endpoint can be started again. */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await new Promise<void>((resolve, reject) =>
      this.native.stop(options.force ?? false, (err) => (err ? reject(err) : resolve())),
    );
    this.state.loggedOn = false;
  }

  /** Resolves on the next onLogon (at once when logged on). */
  waitForLogon(timeoutMs = 10_000): Promise<void> {
    if (this.state.loggedOn) return Promise.resolve();
    return this.waitFor(this.state.logonWaiters, timeoutMs, 'logon');
  }

  /** Resolves on the next onLogout (at once when not logged on). */
  waitForLogout(timeoutMs = 10_000): Promise<void> {
    if (!this.state.loggedOn) return Promise.resolve();
    return this.waitFor(this.state.logoutWaiters, timeoutMs, 'logout');
  }

  private waitFor(list: Array<() => void>, timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms (${this.sessionId.senderCompID}->${this.sessionId.targetCompID})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      list.push(done);
    });
  }

  /** Fills BeginString, SenderCompID, TargetCompID when absent. */
  protected complete(message: OutgoingMessage): OutgoingMessage {
    const header = { ...message.header };
    header[8] ??= this.sessionId.beginString;
    header[49] ??= this.sessionId.senderCompID;
    header[56] ??= this.sessionId.targetCompID;
    return { ...message, header };
  }

  /**
   * Sends on the JS thread, in call order. Returns false when the session is not logged on (QuickFIX then
   * stores the message for resend). Throws on a malformed message or an unknown session.
   */
  send(message: OutgoingMessage): boolean {
    return this.native.sendSync(this.complete(message));
  }

  /** Sends from a thread-pool thread (no ordering between calls). */
  sendAsync(message: OutgoingMessage): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.native.send(this.complete(message), (err, sent) => (err ? reject(err) : resolve(!!sent))),
    );
  }

  /** The session's next sequence numbers (from its store); undefined when not started. */
  seqNums(): SeqNums | undefined {
    const s = this.native.getSession(this.sessionId);
    if (!s) return undefined;
    return { nextSender: s.senderSeqNum, nextTarget: s.targetSeqNum };
  }

  sessions(): SessionId[] {
    return this.native.getSessions();
  }
}

export class FixInitiator extends FixEndpoint {
  constructor(options: InitiatorOptions, handlers: FixHandlers = {}) {
    const binding = requireBinding();
    const state = new LogonState();
    const nativeOptions: NativeOptions = {
      settings: buildSettings('initiator', options),
      storeFactory: 'file',
      logFactory: options.fileLogPath ? 'file' : 'none',
    };
    if (options.credentials) nativeOptions.credentials = options.credentials;
    const native = new binding.FixInitiator(
      FixEndpoint.callbacks(handlers, state),
      nativeOptions,
    );
    super(native, options, state);
  }
}

export class FixAcceptor extends FixEndpoint {
  constructor(options: AcceptorOptions, handlers: FixHandlers = {}) {
    const binding = requireBinding();
    const state = new LogonState();
    const nativeOptions: NativeOptions = {
      settings: buildSettings('acceptor', options),
      storeFactory: 'file',
      logFactory: options.fileLogPath ? 'file' : 'none',
    };
    const check = options.onLogonAttempt;
    if (check) {
      nativeOptions.logonProvider = new binding.FixLoginProvider((response, message, sessionId) => {
        Promise.resolve()
          .then(() => check(message, sessionId))
          .then(
            (ok) => response.done(!!ok),
            () => response.done(false),
          );
      });
      if (options.logonTimeout) nativeOptions.logonTimeout = options.logonTimeout;
    }
    const native = new binding.FixAcceptor(FixEndpoint.callbacks(handlers, state), nativeOptions);
    super(native, options, state);
  }
}
