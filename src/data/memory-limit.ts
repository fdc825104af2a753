// How much one allocation may take by default: a share of this machine's memory, or of the cgroup's limit where a
// container has one, and never more than half the address space this process has left under `ulimit -v`. Without
// the last two, a run held to 3 GB (a shared machine's ulimit, a container) takes sizes a 24 GiB machine allows and
// dies of an untyped RangeError partway through, instead of being refused with what would fit.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

export interface MemoryLimit {
  bytes: number;
  /** Where the figure comes from, in a user's words: "a quarter of this machine's 23.5 GiB memory". */
  what: string;
}

const SHARE_WORDS = new Map([
  [1 / 4, 'a quarter'],
  [1 / 2, 'half'],
]);

/** `share` (1/4 or 1/2 as callers use it) of the memory this process may use, as of now. */
export function memoryLimit(share: number): MemoryLimit {
  const words = SHARE_WORDS.get(share) ?? `${Math.round(share * 100)}%`;
  const machine = totalmem();
  const cgroup = cgroupLimitBytes();
  const limits: MemoryLimit[] = [
    cgroup !== undefined && cgroup < machine
      ? { bytes: Math.floor(cgroup * share), what: `${words} of the ${gib(cgroup)} this process's cgroup may use` }
      : { bytes: Math.floor(machine * share), what: `${words} of this machine's ${gib(machine)} memory` },
  ];
  const left = addressSpaceLeftBytes();
  if (left !== undefined) limits.push({ bytes: Math.max(0, Math.floor(left / 2)), what: `half the ${gib(left)} of address space this process has left (ulimit -v)` });
  return limits.reduce((a, b) => (b.bytes < a.bytes ? b : a));
}

/** The soft RLIMIT_AS less what is mapped now (Linux: /proc/self), or undefined where there is no limit or no /proc. */
function addressSpaceLeftBytes(): number | undefined {
  try {
    const limit = /^Max address space\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'))?.[1];
    if (limit === undefined) return undefined;
    const mappedKiB = /^VmSize:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    return Number(limit) - Number(mappedKiB ?? 0) * 1024;
  } catch {
    return undefined;
  }
}

/** The cgroup's memory limit, where Node knows one (it reports 2^64 or 0 where there is none). */
function cgroupLimitBytes(): number | undefined {
  const bytes = process.constrainedMemory?.();
  return bytes !== undefined && bytes > 0 && bytes < 2 ** 62 ? bytes : undefined;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
