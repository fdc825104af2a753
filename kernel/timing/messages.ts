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
export const TIMING_PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------------
// kernel -> frontend

/** First message on every timing comm (in comm_open's data when the kernel opens it, else the first comm_msg). */
export interface HelloMessage {
  kind: 'hello';
  protocol: typeof TIMING_PROTOCOL_VERSION;
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
export type EpochMessage = EpochEvent & { kind: 'epoch' };

/** A training run finished: its per-epoch statistics and test accuracy. */
export interface RunMessage {
  kind: 'run';
  run: RunSummary;
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

/** Every `kind` the frontend may send, for validating incoming data. */
export const TIMING_REQUEST_KINDS: readonly TimingToKernel['kind'][] = ['list-devices', 'switch-device'];
