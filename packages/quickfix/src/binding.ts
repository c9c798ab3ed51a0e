// Types of the native addon (native/src, built to build/Release/NodeQuickfix.node).

/** Session identity as the addon reports it. */
export interface SessionId {
  beginString: string;
  senderCompID: string;
  targetCompID: string;
  sessionQualifier?: string;
}

export type FieldValue = string | number;
export type Fields = Record<number, FieldValue>;

/** An outgoing group: `index` is the count tag (e.g. 268), `delim` its first tag (e.g. 269). */
export interface OutgoingGroup {
  index: number;
  delim: number;
  entries: Array<Fields | { tags?: Fields; groups?: OutgoingGroup[] }>;
}

/** An outgoing message (node-quickfix's format). Header needs 8, 35, 49, 56 (the wrapper fills them). */
export interface OutgoingMessage {
  header: Fields;
  tags?: Fields;
  groups?: OutgoingGroup[];
  trailer?: Fields;
}

/** One entry of a received repeating group. */
export interface ReceivedGroupEntry {
  tags?: Record<string, string>;
  groups?: Record<string, ReceivedGroupEntry[]>;
}

/** A received message: every value is a string, keyed by tag; groups keyed by their count tag. */
export interface ReceivedMessage {
  header: Record<string, string>;
  tags?: Record<string, string>;
  trailer: Record<string, string>;
  groups?: Record<string, ReceivedGroupEntry[]>;
}

export type NativeCallback = (err: Error | null, result?: boolean) => void;

export interface NativeCallbacks {
  onCreate?(sessionId: SessionId): void;
  onLogon?(sessionId: SessionId): void;
  onLogout?(sessionId: SessionId): void;
  toAdmin?(message: ReceivedMessage, sessionId: SessionId): void;
  fromAdmin?(message: ReceivedMessage, sessionId: SessionId): void;
  toApp?(message: ReceivedMessage, sessionId: SessionId): void;
  fromApp?(message: ReceivedMessage, sessionId: SessionId): void;
}

export interface NativeOptions {
  /** QuickFIX settings text ([DEFAULT]/[SESSION]). */
  settings?: string;
  propertiesFile?: string;
  storeFactory?: 'file' | 'memory';
  logFactory?: 'file' | 'screen' | 'none';
  /** Added as 553/554 to outgoing Logon messages (in the addon's toAdmin). */
  credentials?: { username?: string; password?: string };
  logonProvider?: NativeLogonProvider;
  /** How long a session thread waits for the logon provider before rejecting (ms, default 10000). */
  logonTimeout?: number;
}

export interface NativeSession {
  getSessionID(): SessionId;
  isEnabled(): boolean;
  isLoggedOn(): boolean;
  disconnect(cb?: NativeCallback): void;
  logon(cb?: NativeCallback): void;
  logout(cb?: NativeCallback): void;
  refresh(cb?: NativeCallback): void;
  reset(cb?: NativeCallback): void;
  senderSeqNum: number;
  targetSeqNum: number;
}

export interface NativeConnection {
  start(cb?: NativeCallback): void;
  stop(cb?: NativeCallback): void;
  stop(force: boolean, cb?: NativeCallback): void;
  /** Sent from a thread-pool thread: no ordering between calls. */
  send(message: OutgoingMessage, cb?: NativeCallback): void;
  sendRaw(message: string, cb?: NativeCallback): void;
  /** Sent on the JS thread, in call order; false when the session is not logged on. */
  sendSync(message: OutgoingMessage): boolean;
  isLoggedOn(): boolean;
  getSessions(): SessionId[];
  getSession(sessionId: SessionId): NativeSession | null;
}

export interface NativeLogonResponse {
  done(accept: boolean): void;
}

export type NativeLogonProvider = object;

export interface QuickfixBinding {
  FixInitiator: new (callbacks: NativeCallbacks, options: NativeOptions) => NativeConnection;
  FixAcceptor: new (callbacks: NativeCallbacks, options: NativeOptions) => NativeConnection;
  FixLoginProvider: new (
    onLogonAttempt: (response: NativeLogonResponse, message: ReceivedMessage, sessionId: SessionId) => void,
  ) => NativeLogonProvider;
}
