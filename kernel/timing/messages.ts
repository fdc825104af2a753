// The `gcnlab.timing` comm's wire format: every message either side may send, defined once for kernel and extension.
//
// Import it type-only from the extension (`import type { TimingFromKernel } from '.../kernel/timing/messages.js'`):
// this file has no runtime code besides the constants below, and its only dependency is gcnlab's own public types.
//
// A message is the `data` of a Jupyter comm_open / comm_msg (never nested further); `kind` tells which one it is.
// Requests may carry a `requestId` chosen by the frontend; the kernel copies it into the reply (or the error) so a
// panel can match answers to questions. Messages the kernel publishes on its own carry no `requestId`.
import type { BenchmarkRow, DeviceInfo, DeviceName, EpochEvent, RunSummary } from 'gcnlab';

/** The comm target both sides register. */
export const TIMING_TARGET = 'gcnlab.timing';

/** Bumped when a message changes incompatibly; sent in `hello`. */
export const TIMING_MESSAGES_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------------
// kernel -> frontend

/** First message on every timing comm (in comm_open's data when the kernel opens it, else the first comm_msg). */
export interface HelloMessage {
  kind: 'hello';
  protocol: typeof TIMING_MESSAGES_VERSION;
  /** gcnlab's package version in the kernel. */
  gcnlabVersion: string;
  current: DeviceName;
  devices: DeviceInfo[];
}

/**
 * Every device gcnlab knows, available or not; `reason` says why not, `runsOn` what it runs on.
 * Sent in reply to `list-devices`.
 */
export interface DevicesMessage {
  kind: 'devices';
  requestId?: string;
  current: DeviceName;
  devices: DeviceInfo[];
}

/** The current device changed (by `switch-device`, `%device NAME`, or `useDevice()` in a cell). */
export interface CurrentDeviceMessage {
  kind: 'device';
  /** Set when this answers a `switch-device` request. */
  requestId?: string;
  device: DeviceName;
}

/**
 * One training epoch, as the runtime measured it: `epochMs` is wall time after the device finished its work.
 * Fields: runId, device, adjacency ('sparse' | 'dense'), epoch (1-based), epochMs, trainLoss, valLoss, valAccuracy.
 */
export type EpochMessage = EpochEvent & {
  kind: 'epoch';
  /** The kernel's memory right after this epoch; on the first epoch of a run and then at most every MEMORY_SAMPLE_MS. */
  memory?: MemorySample;
};

/** The kernel's memory at one moment: process, JS heap, TensorFlow.js tensors, GPU where the backend reports it. */
export interface MemorySample {
  /** Resident set of the kernel process, bytes. */
  rss: number;
  /** The main thread's JS heap in use, bytes (cells' variables and cpu tensors live there). */
  heapUsed: number;
  /** Live tensors and their bytes, over every backend (tf.memory()). */
  tensors: number;
  tensorBytes: number;
  /** Bytes on the GPU, summed over the backends that report them; absent where none does (cpu, wasm). */
  gpuBytes?: number;
}

/** A training run finished: its per-epoch statistics and test accuracy. */
export interface RunMessage {
  kind: 'run';
  run: RunSummary;
  /** The highest of each memory figure over the run's samples (its first epoch, then every MEMORY_SAMPLE_MS, its end). */
  peakMemory?: MemorySample;
}

/** A benchmark finished: one row per device and adjacency mode, statistics over several runs. */
export interface BenchmarkMessage {
  kind: 'benchmark';
  rows: BenchmarkRow[];
}

/** A cell finished: its wall time in the kernel, for the panel's per-cell column. */
export interface ExecutionMessage {
  kind: 'execution';
  /** The execute_reply's execution_count. */
  executionCount: number;
  /** The execute_request's msg_id, to match the notebook cell. */
  parentMsgId: string;
  status: 'ok' | 'error' | 'aborted';
  ms: number;
  device: DeviceName;
}

/** A request failed, or arrived malformed. */
export interface TimingErrorMessage {
  kind: 'error';
  requestId?: string;
  /** The `kind` of the request that failed, when it could be read. */
  request?: string;
  /** Stable: 'UNKNOWN_DEVICE', 'DEVICE_UNAVAILABLE', 'BAD_REQUEST', or another gcnlab error code. */
  code: string;
  /** Actionable, human-readable: what was wrong, with what value, what to do. */
  message: string;
}

export type TimingFromKernel =
  | HelloMessage
  | DevicesMessage
  | CurrentDeviceMessage
  | EpochMessage
  | RunMessage
  | BenchmarkMessage
  | ExecutionMessage
  | TimingErrorMessage;

// ---------------------------------------------------------------------------------------------------------------
// frontend -> kernel

/** Asks for the device list; answered by `devices` (same requestId). */
export interface ListDevicesRequest {
  kind: 'list-devices';
  requestId?: string;
}

/** Switches the kernel's device; answered by `device` (same requestId) or `error` (unknown / unavailable device). */
export interface SwitchDeviceRequest {
  kind: 'switch-device';
  requestId?: string;
  device: string;
}

export type TimingToKernel = ListDevicesRequest | SwitchDeviceRequest;

// ---------------------------------------------------------------------------------------------------------------
// iopub and control: every event reaches every frontend while cells are still queued (the comm's requests wait on
// the shell channel behind them).

/** The iopub message type that carries timing records, published with an empty parent header (no cell's output). */
export const TIMING_IOPUB_TYPE = 'gcnlab_timing';
/** The control-channel request (answered by the kernel's control thread, even while a cell runs) and its reply. */
export const TIMING_CONTROL_REQUEST = 'gcnlab_timing_request';
export const TIMING_CONTROL_REPLY = 'gcnlab_timing_reply';

/** One published message, numbered: `seq` counts from 1 in each kernel process, so a gap means something was missed. */
export interface TimingRecord {
  seq: number;
  /** Date.now() in the kernel when published. */
  at: number;
  /** The execution_count of the cell running when it was published, if one was. */
  cell?: number;
  message: TimingFromKernel;
}

/** iopub `gcnlab_timing` content: records in order, batched at most every few tens of ms. */
export interface TimingIopubContent {
  /** Random per kernel process: a new one means the kernel restarted and the earlier records are gone. */
  session: string;
  records: TimingRecord[];
}

/** Control `gcnlab_timing_request` content. */
export type TimingControlRequest =
  /** Records with seq > `after` (default 0: everything kept since the kernel started), at most `limit` of them. */
  | { kind: 'history'; after?: number; limit?: number }
  /**
   * Switches the device between cells: now when no cell runs, else once the running cell has finished (before the
   * next queued one starts). The result arrives on iopub as a `device` (or `error`) record with this requestId.
   */
  | { kind: 'switch-device'; device: string; requestId: string };

/** Control `gcnlab_timing_reply` content. */
export type TimingControlReply =
  | {
      status: 'ok';
      kind: 'history';
      session: string;
      records: TimingRecord[];
      /** Whether more records follow: ask again with `after` = the last seq. */
      more: boolean;
      /** Records the bounded history let go (oldest epochs first). */
      dropped: number;
      /** The newest record's seq. */
      lastSeq: number;
      /** The cell running now, if one is. */
      runningCell: number | null;
    }
  | { status: 'ok'; kind: 'switch-device'; requestId: string; device: string; when: 'now' | 'after-cell'; runningCell: number | null }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

/** Every `kind` the frontend may send, for validating incoming data. */
export const TIMING_REQUEST_KINDS: readonly TimingToKernel['kind'][] = ['list-devices', 'switch-device'];
