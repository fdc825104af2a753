// The `gcnlab.timing` messages as the extension sees them: the kernel's single definition, imported type-only.
import type { TIMING_CONTROL_REQUEST, TIMING_IOPUB_TYPE } from '../../kernel/timing/messages.js';

export type {
  EpochMessage,
  ExecutionMessage,
  MemorySample,
  TimingControlReply,
  TimingControlRequest,
  TimingIopubContent,
  TimingRecord,
  TimingFromKernel,
} from '../../kernel/timing/messages.js';
export type { BenchmarkRow, DeviceInfo, DeviceName, RunSummary } from 'gcnlab';

// Values cannot cross a type-only import; typing them by the kernel's constants makes any drift a compile error.
export const IOPUB_TYPE: typeof TIMING_IOPUB_TYPE = 'gcnlab_timing';
export const CONTROL_REQUEST: typeof TIMING_CONTROL_REQUEST = 'gcnlab_timing_request';
