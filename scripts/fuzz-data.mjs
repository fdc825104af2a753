#!/usr/bin/env node
// `npm run fuzz:data`: mutates the real Cora files (Planetoid pickles and test.index, LINQS text and tarball) with a
// fixed seed and feeds each mutant to the pickle reader and the two parsers. Every input must parse or fail with a
// typed gcnlab error; an untyped error is a crash, an input that runs past the watchdog a hang, and both fail the run.
//   npm run fuzz:data -- [--count N] [--seed S] [--data-dir DIR]     (on the built dist/: npm run build first)
// Prints one JSON line: inputs tried, seconds, outcomes by error type, slowest input, crashes and hangs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const HANG_MS = 5000;
/** Each mutant runs in a worker held to this heap: one that makes the parsers allocate wildly is a crash too. */
const WORKER_HEAP_MB = 1024;
const PLANETOID = ['x', 'y', 'tx', 'ty', 'allx', 'ally', 'graph', 'test.index'];

async function fuzz() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string', default: process.env.GCNLAB_DATA_DIR ?? join(import.meta.dirname, '..', '..', 'shared', 'data') },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const { seededRandom } = await import('../dist/src/data/random.js');
  const corpus = await seeds(join(values['data-dir'], 'cora'));
  const random = seededRandom(seed);
  const outcomes = {};
  const failures = [];
  let slowest = { ms: 0 };
  let worker = start(corpus);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const target = corpus.targets[Math.floor(random() * corpus.targets.length)];
    const bytes = mutate(corpus.files.get(target), random);
    // Every tenth mutant of a Planetoid file also goes through the whole graph assembly, not just its own parse.
    const whole = target.startsWith('planetoid:') && i % 10 === 0;
    const began = performance.now();
    const result = await run(worker, { target, bytes, whole });
    const ms = performance.now() - began;
    if (ms > slowest.ms) slowest = { ms: Math.round(ms), target, input: i };
    const kind = result.kind;
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    if (kind === 'crash' || kind === 'hang') {
      const saved = join(tmpdir(), 'gcnlab-fuzz', `${i}-${target.replace(/[:/]/g, '_')}`);
      mkdirSync(join(tmpdir(), 'gcnlab-fuzz'), { recursive: true });
      writeFileSync(saved, bytes);
      failures.push({ input: i, target, kind, detail: result.detail, saved });
      await worker.terminate();
      worker = start(corpus);
    }
  }
  await worker.terminate();
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ fuzz: 'data', seed, inputs: count, seconds: Number(seconds.toFixed(1)), outcomes, slowest, failures }));
  process.exit(failures.length > 0 ? 1 : 0);
}

/**
 * The real files, by target name: each Planetoid file; LINQS content and cites made from Cora's first LINQS_NODES
 * papers (all 2708 make a 7.8 MB text whose every parse takes half a second), and their tarball.
 */
async function seeds(dir) {
  const files = new Map();
  for (const ext of PLANETOID) files.set(`planetoid:${ext}`, readFileSync(join(dir, `ind.cora.${ext}`)));
  const { loadCora } = await import('../dist/src/data/index.js');
  const cora = await loadCora({ dataDir: dir, normalizeFeatures: false });
  const { content, cites } = linqsText(cora);
  files.set('linqs:content', Buffer.from(content));
  files.set('linqs:cites', Buffer.from(cites));
  files.set('linqs:tgz', await tarGz({ 'cora/cora.content': content, 'cora/cora.cites': cites }));
  return { files, targets: [...files.keys()] };
}

const LINQS_NODES = 600;

function linqsText(graph) {
  const content = [];
  for (let i = 0; i < LINQS_NODES; i++) {
    const words = new Array(graph.numFeatures).fill('0');
    for (let k = graph.features.rowPtr[i]; k < graph.features.rowPtr[i + 1]; k++) words[graph.features.colIndex[k]] = '1';
    content.push(`${1000 + i}\t${words.join('\t')}\tclass_${graph.labels[i]}`);
  }
  const cites = [];
  const a = graph.adjacency;
  for (let i = 0; i < LINQS_NODES; i++) {
    for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) if (a.colIndex[k] > i && a.colIndex[k] < LINQS_NODES) cites.push(`${1000 + a.colIndex[k]}\t${1000 + i}`);
  }
  return { content: content.join('\n') + '\n', cites: cites.join('\n') + '\n' };
}

async function tarGz(entries) {
  const { gzipSync } = await import('node:zlib');
  const blocks = [];
  for (const [name, text] of Object.entries(entries)) {
    const body = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** Values that sit on boundaries: lengths, signs, int32 and int16 limits. */
const INTERESTING = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, -0x80000000, 1e6, 1e9];
/** Pickle opcodes the reader handles, and a few it refuses. */
const OPCODES = [...'(.0)]}aeltsuRbqrhjcKMJTUXBNG', '\x80', '\x81', '\x85', '\x86', '\x87', '\x88', '\x89', '\x8a', '\x8c', '\x93', '\x94', '\x95'].map((c) => c.charCodeAt(0));

/** One to four random edits of a copy: bit flips, boundary values, opcodes, inserts, deletes, repeats, truncation. */
function mutate(original, random) {
  let bytes = Buffer.from(original);
  const pick = (n) => Math.floor(random() * n);
  for (let edits = 1 + pick(4); edits > 0; edits--) {
    const at = pick(bytes.length);
    switch (pick(8)) {
      case 0:
        bytes[at] ^= 1 << pick(8);
        break;
      case 1:
        bytes[at] = INTERESTING[pick(INTERESTING.length)] & 0xff;
        break;
      case 2:
        if (at + 4 <= bytes.length) bytes.writeInt32LE(INTERESTING[pick(INTERESTING.length)] | 0, at);
        break;
      case 3:
        bytes[at] = OPCODES[pick(OPCODES.length)];
        break;
      case 4: {
        const insert = Buffer.from(Array.from({ length: 1 + pick(16) }, () => (random() < 0.5 ? OPCODES[pick(OPCODES.length)] : pick(256))));
        bytes = Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
        break;
      }
      case 5:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + pick(64)))]);
        break;
      case 6: {
        // A chunk repeated: deepens nesting, multiplies memo references and lines.
        const chunk = bytes.subarray(at, Math.min(bytes.length, at + 1 + pick(8)));
        bytes = Buffer.concat([bytes.subarray(0, at), ...Array(1 + pick(2000)).fill(chunk), bytes.subarray(at)]);
        break;
      }
      case 7:
        bytes = bytes.subarray(0, at);
        break;
    }
  }
  return bytes;
}

function start(corpus) {
  return new Worker(new URL(import.meta.url), {
    workerData: { files: [...corpus.files] },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}

/** Sends one mutant to the worker; a hang or a worker that dies is an outcome of its own. */
function run(worker, job) {
  return new Promise((resolve) => {
    const done = (result) => {
      clearTimeout(timer);
      worker.off('message', done);
      worker.off('error', died);
      resolve(result);
    };
    const died = (error) => done({ kind: 'crash', detail: `worker died: ${error.code ?? ''} ${error.message}` });
    const timer = setTimeout(() => done({ kind: 'hang', detail: `no answer within ${HANG_MS} ms` }), HANG_MS);
    worker.on('message', done);
    worker.on('error', died);
    worker.postMessage(job);
  });
}

/** The worker: parses each mutant as gcnlab would and reports the outcome's kind. */
async function serve() {
  const { GcnlabError } = await import('../dist/src/errors.js');
  const { validatePlanetoidFile, planetoidGraph } = await import('../dist/src/data/planetoid.js');
  const { linqsGraph, linqsFilesFromArchive } = await import('../dist/src/data/linqs.js');
  const real = new Map(workerData.files.map(([name, bytes]) => [name, new Uint8Array(bytes)]));
  const planetoid = new Map(PLANETOID.map((ext) => [ext, real.get(`planetoid:${ext}`)]));
  const options = { normalizeFeatures: true };
  parentPort.on('message', ({ target, bytes, whole }) => {
    const [format, part] = target.split(':');
    try {
      if (format === 'planetoid') {
        validatePlanetoidFile(part, bytes, `ind.cora.${part}`);
        if (whole) planetoidGraph('cora', new Map([...planetoid, [part, bytes]]), options);
      } else if (part === 'tgz') linqsFilesFromArchive('cora', bytes, 'cora.tgz');
      else {
        linqsGraph('cora', { content: real.get('linqs:content'), cites: real.get('linqs:cites'), [part]: bytes }, options);
      }
      parentPort.postMessage({ kind: 'ok' });
    } catch (error) {
      parentPort.postMessage(error instanceof GcnlabError ? { kind: error.name } : { kind: 'crash', detail: String(error?.stack ?? error).slice(0, 2000) });
    }
  });
}

if (isMainThread) await fuzz();
else await serve();
