// What each helper thread of a thread team runs (team.ts), as source text: a Worker started with `eval` needs no file
// of its own, so it runs the same from the compiled package and from src/ under tsx. It instantiates the SIMD
// kernels on each shared memory it is given and then waits for jobs:
//   its own signal[GENERATION] counts the jobs handed to it; it runs the calls in its slot, adds one to the shared
//   control[DONE], and sets control[FAILED] (with the message on its port) where a call threw. signal[ALIVE] is set
//   once it is ready, so that a helper that cannot start is noticed instead of waited for.
// A slot (Float64Array) holds: memory id, call count, then per call the kernel's index in the module's export list,
// its argument count and arguments. Kernel index ATTACH takes the { id, memory } message for the slot's memory id
// from the port; DETACH forgets that memory.

export const CONTROL = { DONE: 0, FAILED: 1 } as const;
export const SIGNAL = { GENERATION: 0, ALIVE: 1 } as const;
export const CALL = { ATTACH: -1, DETACH: -2, MAX_ARGS: 16, SLOT_HEADER: 2 } as const;
/** How long a helper keeps polling for its next job before it sleeps in Atomics.wait (ms). */
export const SPIN_MS = 5;

export const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, signal, slot, port, module, names } = workerData;
const [DONE, FAILED, GENERATION, ALIVE] = [${CONTROL.DONE}, ${CONTROL.FAILED}, ${SIGNAL.GENERATION}, ${SIGNAL.ALIVE}];
const [ATTACH, DETACH, STRIDE, HEADER] = [${CALL.ATTACH}, ${CALL.DETACH}, ${CALL.MAX_ARGS + 2}, ${CALL.SLOT_HEADER}];
const memories = new Map();
let seen = Atomics.load(signal, GENERATION);

function nextJob() {
  const start = performance.now();
  for (let spins = 1; ; spins++) {
    if (Atomics.load(signal, GENERATION) !== seen) return;
    if ((spins & 1023) === 0 && performance.now() - start > ${SPIN_MS}) Atomics.wait(signal, GENERATION, seen);
  }
}

/** The memory message for id: earlier ones, of attaches that never ran (broken off), are dropped. */
function memoryMessage(id) {
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (!received) throw new Error('no memory was sent for team ' + id);
    if (received.message.id === id) return received.message;
  }
}

function runSlot() {
  const id = slot[0];
  const calls = slot[1];
  for (let c = 0; c < calls; c++) {
    const at = HEADER + c * STRIDE;
    const kernel = slot[at];
    if (kernel === ATTACH) {
      const instance = new WebAssembly.Instance(module, { env: { memory: memoryMessage(id).memory } });
      memories.set(id, instance.exports);
    } else if (kernel === DETACH) {
      memories.delete(id);
    } else {
      const exports = memories.get(id);
      const args = [];
      for (let a = 0; a < slot[at + 1]; a++) args.push(slot[at + 2 + a]);
      exports[names[kernel]](...args);
    }
  }
}

Atomics.store(signal, ALIVE, 1);
Atomics.notify(signal, ALIVE);
for (;;) {
  nextJob();
  seen = Atomics.load(signal, GENERATION);
  try {
    runSlot();
  } catch (error) {
    port.postMessage(String((error && error.stack) || error));
    Atomics.store(control, FAILED, 1);
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}
`;
