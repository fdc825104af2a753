// What each helper thread of a kernel team runs (team.ts), as source text: a Worker started with `eval` needs no file
// of its own, so it runs the same from the compiled package and from src/ under tsx. It instantiates the SIMD
// kernels on each shared memory it is given and then waits for jobs in the control block:
//   control[GENERATION] counts jobs; a helper wakes when it changes, runs the calls in its slot, adds one to
//   control[DONE], and sets control[FAILED] (with the message on its port) where a call threw.
// A slot (Float64Array, one per helper) holds: memory id, call count, then per call the kernel's index in the
// module's export list, its argument count and arguments. Kernel index ATTACH takes a { id, memory } message from
// the port; DETACH forgets memory id.

export const CONTROL = { GENERATION: 0, DONE: 1, FAILED: 2 } as const;
export const CONTROL_INTS = 4;
export const CALL = { ATTACH: -1, DETACH: -2, MAX_ARGS: 16, SLOT_HEADER: 2 } as const;
/** How long a helper keeps polling for the next job before it sleeps in Atomics.wait (ms). */
export const SPIN_MS = 5;

export const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, slot, port, module, names } = workerData;
const [GENERATION, DONE, FAILED] = [${CONTROL.GENERATION}, ${CONTROL.DONE}, ${CONTROL.FAILED}];
const [ATTACH, DETACH, STRIDE, HEADER] = [${CALL.ATTACH}, ${CALL.DETACH}, ${CALL.MAX_ARGS + 2}, ${CALL.SLOT_HEADER}];
const memories = new Map();
// The generation when this helper was started: a job handed out before it got here is still seen as new.
let seen = workerData.generation;

function nextJob() {
  const start = performance.now();
  for (let spins = 1; ; spins++) {
    if (Atomics.load(control, GENERATION) !== seen) return;
    if ((spins & 1023) === 0 && performance.now() - start > ${SPIN_MS}) Atomics.wait(control, GENERATION, seen);
  }
}

function runSlot() {
  const id = slot[0];
  const calls = slot[1];
  for (let c = 0; c < calls; c++) {
    const at = HEADER + c * STRIDE;
    const kernel = slot[at];
    if (kernel === ATTACH) {
      const message = receiveMessageOnPort(port).message;
      const instance = new WebAssembly.Instance(module, { env: { memory: message.memory } });
      memories.set(message.id, instance.exports);
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

for (;;) {
  nextJob();
  seen = Atomics.load(control, GENERATION);
  try {
    runSlot();
  } catch (error) {
    port.postMessage(String(error && error.stack || error));
    Atomics.store(control, FAILED, 1);
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}
`;
