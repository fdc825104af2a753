// The kernel's usage figures: what usage_request (jupyter-resource-usage's kernel panel) gets back, in ipykernel's
// usage_reply shape (>= 6.9), with gcnlab's own figures under `gcnlab` (JS heap, live tensors and bytes per device).
// The control thread answers, so a cell that holds the main thread still gets a reply; the main thread's figures
// (heap, tensors) are sampled there and posted across (sampleMainThread), so they are as old as `sampledMsAgo` says.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import type { TensorMemory } from 'gcnlab';

/** What only the main thread can measure: its own JS heap and the tensors TensorFlow.js keeps there. */
export interface MainThreadFigures {
  heapUsed: number;
  heapTotal: number;
  /** V8's limit for this heap: past it the process dies, whatever the cell does. */
  heapLimit: number;
  /** Null until gcnlab has loaded. */
  tensors: TensorMemory | null;
  /** Date.now() when sampled. */
  sampledAt: number;
}

export interface GcnlabUsage {
  /** Resident set of the whole process (main, compiler and control threads), bytes. */
  rss: number;
  /** The main thread's JS heap, where cells' variables live, bytes. */
  heap: { used: number; total: number; limit: number } | null;
  tensors: TensorMemory | null;
  /** Age of `heap` and `tensors`: a cell that holds the main thread delays their next sample. */
  sampledMsAgo: number | null;
}

/** ipykernel's usage_reply content (kernelbase.py, usage_request), plus `gcnlab`. */
export interface UsageReply {
  hostname: string;
  pid: number;
  /** Percent of one core used by the kernel process since the previous request, as psutil's cpu_percent. */
  kernel_cpu: number;
  /** Proportional set size where Linux reports it (ipykernel's choice), else the resident set, bytes. */
  kernel_memory: number;
  host_cpu_percent: number;
  cpu_count: number;
  host_virtual_memory: Record<string, number>;
  gcnlab: GcnlabUsage;
}

/** Samples the main thread's figures; `tensors` is gcnlab's tensorMemory once the runtime has loaded. */
export function sampleMainThread(tensors?: () => TensorMemory | undefined): MainThreadFigures {
  const heap = v8.getHeapStatistics();
  let live: TensorMemory | null = null;
  try {
    live = tensors?.() ?? null;
  } catch {
    // A backend that failed half-way through initialising cannot count its buffers: report none rather than fail.
    live = null;
  }
  return { heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, heapLimit: heap.heap_size_limit, tensors: live, sampledAt: Date.now() };
}

// CPU percentages are over the time since the previous request, as psutil measures them.
let lastProcess = { cpu: 0, at: performance.timeOrigin };
let lastHost = hostTimes();

function hostTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

function processCpuPercent(): number {
  const { user, system } = process.cpuUsage();
  const now = { cpu: (user + system) / 1000, at: performance.timeOrigin + performance.now() };
  const elapsed = now.at - lastProcess.at;
  const percent = elapsed > 0 ? (100 * (now.cpu - lastProcess.cpu)) / elapsed : 0;
  lastProcess = now;
  return round(percent);
}

function hostCpuPercent(): number {
  const now = hostTimes();
  const total = now.total - lastHost.total;
  const percent = total > 0 ? (100 * (now.busy - lastHost.busy)) / total : 0;
  lastHost = now;
  return round(percent);
}

/** /proc/meminfo as psutil reads it (bytes); elsewhere what os offers. */
function virtualMemory(): Record<string, number> {
  let info: Record<string, number>;
  try {
    info = Object.fromEntries(
      readFileSync('/proc/meminfo', 'utf8')
        .split('\n')
        .map((line) => /^(\w+):\s+(\d+)/.exec(line))
        .filter((m) => m !== null)
        .map((m) => [m[1], Number(m[2]) * 1024]),
    );
  } catch {
    const total = os.totalmem();
    const free = os.freemem();
    return { total, available: free, percent: round((100 * (total - free)) / total), used: total - free, free };
  }
  const total = info.MemTotal;
  const free = info.MemFree;
  const available = info.MemAvailable ?? free;
  const cached = (info.Cached ?? 0) + (info.SReclaimable ?? 0);
  const buffers = info.Buffers ?? 0;
  const used = Math.max(0, total - free - cached - buffers);
  return {
    total,
    available,
    percent: round((100 * (total - available)) / total),
    used,
    free,
    active: info.Active ?? 0,
    inactive: info.Inactive ?? 0,
    buffers,
    cached,
    shared: info.Shmem ?? 0,
    slab: info.Slab ?? 0,
  };
}

function kernelMemory(rss: number): number {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    if (pss) return Number(pss[1]) * 1024;
  } catch {
    // not Linux, or no smaps_rollup (kernels before 4.14): the resident set is the next best figure
  }
  return rss;
}

/** The usage_reply content now; `main` is the main thread's latest sample (none yet right after start). */
export function usageFigures(main?: MainThreadFigures): UsageReply {
  const rss = process.memoryUsage.rss();
  return {
    hostname: os.hostname(),
    pid: process.pid,
    kernel_cpu: processCpuPercent(),
    kernel_memory: kernelMemory(rss),
    host_cpu_percent: hostCpuPercent(),
    cpu_count: os.cpus().length,
    host_virtual_memory: virtualMemory(),
    gcnlab: {
      rss,
      heap: main ? { used: main.heapUsed, total: main.heapTotal, limit: main.heapLimit } : null,
      tensors: main?.tensors ?? null,
      sampledMsAgo: main ? Math.max(0, Date.now() - main.sampledAt) : null,
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
