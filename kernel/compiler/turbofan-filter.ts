// Keeps V8's optimising compiler off TypeScript's type checker. Imported first by the compiler thread, so the flag is
// set before TypeScript loads and the code cache of TypeScript is always written and read under the same flags.
import v8 from 'node:v8';

// Around the 280th cell V8 optimises `createTypeChecker` (27 KB of bytecode, run once per cell) with TurboFan on a
// background thread: 2.8 s of compiling and ~110 MiB of compiler scratch memory in 32 KiB blocks. glibc keeps that
// thread's arena resident after the compile, so the kernel's resident set jumped +65..+70 MiB in one run in three
// (seen with `--trace-opt`, strace and /proc/<pid>/smaps). The checker's body runs once per cell; the functions it
// calls are still optimised. The flag is process-wide, and only this thread runs TypeScript.
v8.setFlagsFromString('--turbo-filter=-createTypeChecker');
