// The Jupyter messaging protocol (5.3) as types: headers, the envelope, and every content this kernel sends or reads.

export const PROTOCOL_VERSION = '5.3';

export type Channel = 'shell' | 'control' | 'stdin' | 'iopub';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message: what the wire carries between the delimiter and the buffers, plus routing identities. */
export interface Message<C = object> {
  /** ZeroMQ routing identities (ROUTER sockets) or the topic (PUB). */
  identities: Buffer[];
  header: Header;
  /** Empty object when there is no parent. */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export type MimeBundle = Record<string, unknown>;

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

// ----- shell requests

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

export interface CompleteRequest {
  code: string;
  cursor_pos: number;
}

export interface InspectRequest {
  code: string;
  cursor_pos: number;
  detail_level?: 0 | 1;
}

export interface IsCompleteRequest {
  code: string;
}

export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type: 'range' | 'tail' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

export interface CommOpen {
  comm_id: string;
  target_name: string;
  data: Record<string, unknown>;
}

export interface CommMsg {
  comm_id: string;
  data: Record<string, unknown>;
}

export interface CommInfoRequest {
  target_name?: string;
}

export interface ShutdownRequest {
  restart: boolean;
}

export interface InputReply {
  value: string;
}

// ----- replies

export type Status = 'ok' | 'error' | 'aborted';

export type ExecuteReply =
  | { status: 'ok'; execution_count: number; user_expressions: Record<string, unknown>; payload: unknown[] }
  /** With user_expressions and payload as in ipykernel's error replies (both empty). */
  | ({ status: 'error'; execution_count: number; user_expressions: Record<string, unknown>; payload: unknown[] } & ErrorContent)
  /** A request queued behind a failed cell (stop_on_error): ipykernel's reply says only this. */
  | { status: 'aborted' };

export interface KernelInfoReply {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    pygments_lexer: string;
    codemirror_mode: string | Record<string, unknown>;
  };
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
}

export interface CompleteReply {
  status: 'ok';
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface InspectReply {
  status: 'ok';
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export type IsCompleteReply =
  | { status: 'complete' }
  | { status: 'incomplete'; indent: string }
  | { status: 'invalid' }
  | { status: 'unknown' };

export interface HistoryReply {
  status: 'ok';
  /** (session, line number, input) or, with output, (session, line, [input, output]). */
  history: [number, number, string | [string, string | null]][];
}

export interface CommInfoReply {
  status: 'ok';
  comms: Record<string, { target_name: string }>;
}

// ----- iopub

export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}

export interface DisplayDataContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}

export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting';
}

export interface ClearOutputContent {
  wait: boolean;
}

export interface CommCloseContent {
  comm_id: string;
  data: Record<string, unknown>;
}

/** A Debug Adapter Protocol event, published as debug_event (protocol 5.5). */
export interface DebugEventContent {
  seq: number;
  type: 'event';
  event: string;
  body?: unknown;
}

/**
 * Every message type the kernel publishes on iopub, with its content: what Sockets.publish (and Output.publish, the
 * control thread's publish) accept, so a content that does not fit its message type does not compile.
 */
export interface IopubContents {
  status: StatusContent;
  stream: StreamContent;
  display_data: DisplayDataContent;
  update_display_data: DisplayDataContent;
  execute_input: ExecuteInputContent;
  execute_result: ExecuteResultContent;
  error: ErrorContent;
  clear_output: ClearOutputContent;
  comm_open: CommOpen;
  comm_msg: CommMsg;
  comm_close: CommCloseContent;
  shutdown_reply: { status: 'ok'; restart: boolean };
  debug_event: DebugEventContent;
}

// ----- stdin

export interface InputRequestContent {
  prompt: string;
  password: boolean;
}
