// The `gcnlab.timing` comm as the extension sees it: the kernel's single definition, imported type-only.
import type {
  TIMING_CONTROL_REPLY,
  TIMING_CONTROL_REQUEST,
  TIMING_IOPUB_TYPE,
  TIMING_PROTOCOL_VERSION,
  TIMING_TARGET,
  TimingFromKernel,
} from '../../kernel/timing/messages.js';

export type {
  BenchmarkMessage,
  CurrentDeviceMessage,
  DevicesMessage,
  EpochMessage,
  ExecutionMessage,
  HelloMessage,
  MemorySample,
  RunMessage,
  TimingControlReply,
  TimingControlRequest,
  TimingIopubContent,
  TimingRecord,
  TimingErrorMessage,
  TimingFromKernel,
  TimingToKernel,
} from '../../kernel/timing/messages.js';
export type { BenchmarkRow, DeviceInfo, DeviceName, RunSummary } from 'gcnlab';

// Values cannot cross a type-only import; typing them by the kernel's constants makes any drift a compile error.
export const TARGET: typeof TIMING_TARGET = 'gcnlab.timing';
export const PROTOCOL_VERSION: typeof TIMING_PROTOCOL_VERSION = 1;
export const IOPUB_TYPE: typeof TIMING_IOPUB_TYPE = 'gcnlab_timing';
export const CONTROL_REQUEST: typeof TIMING_CONTROL_REQUEST = 'gcnlab_timing_request';
export const CONTROL_REPLY: typeof TIMING_CONTROL_REPLY = 'gcnlab_timing_reply';

const FROM_KERNEL_KINDS: ReadonlySet<TimingFromKernel['kind']> = new Set<TimingFromKernel['kind']>([
  'hello', 'devices', 'device', 'epoch', 'run', 'benchmark', 'execution', 'error',
] satisfies TimingFromKernel['kind'][]);

/** Whether comm data is a message this extension understands (newer kernels may add kinds: those are skipped). */
export function isTimingMessage(data: unknown): data is TimingFromKernel {
  return typeof data === 'object' && data !== null && FROM_KERNEL_KINDS.has((data as { kind?: never }).kind as never);
}
