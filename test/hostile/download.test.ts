// Download servers that never answer, stall, trickle, announce or send without end are cut off by the timeout and the size
// cap with a typed error naming the file; an interrupted download leaves no .part file. Under a 3 GB limit.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { coraFile, describeOutcome, runCli, runLoader, WATCHDOG_SECONDS } from './limited.js';

type Behaviour = (response: ServerResponse) => void;
const x = coraFile('x');

const BEHAVIOURS: Record<string, [Behaviour, RegExp]> = {
  'never answers': [() => undefined, /no answer within 1 s/],
  'stalls mid-file': [(response) => response.writeHead(200, { 'content-length': x.length }).write(x.subarray(0, 1000)), /cut short after 1000 of 22119 bytes \(stalled: nothing received for 1 s\)/],
  'trickles a few bytes at a time': [trickle, /cut short after \d+ of 22119 bytes \(too slow: \d+ bytes in the last 1 s, under 1024 a second\)/],
  'announces 1 TB': [(response) => response.writeHead(200, { 'content-length': 10 ** 12 }).write('x'), /announces 1000000000000 bytes, more than the 67108864/],
  'sends without end': [endless, /sent more than the 67108864 bytes/],
};

/** Ten bytes every 100 ms: never silent for the timeout's second, but 22 KB would take four minutes. */
function trickle(response: ServerResponse): void {
  response.writeHead(200, { 'content-length': x.length });
  let sent = 0;
  const timer = setInterval(() => {
    if (response.destroyed || sent >= x.length) return clearInterval(timer);
    response.write(x.subarray(sent, (sent += 10)));
  }, 100);
  response.on('close', () => clearInterval(timer));
}

/** 64 KiB at a time for as long as the client reads, with no length announced. */
function endless(response: ServerResponse): void {
  response.writeHead(200);
  const chunk = Buffer.alloc(2 ** 16, 7);
  const more = () => {
    while (!response.destroyed && response.write(chunk));
  };
  response.on('drain', more);
  more();
}

describe('hostile download servers', () => {
  let behaviour: Behaviour = () => undefined;
  let server: Server;
  let baseUrl: string;
  let cacheDir: string;
  before(async () => {
    // ind.citeseer.x gets the behaviour under test; every other file is missing (404 at once).
    server = createServer((request, response) => (request.url === '/ind.citeseer.x' ? behaviour(response) : response.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
  });
  afterEach(() => {
    server.closeAllConnections();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  const leftovers = () => (existsSync(join(cacheDir, 'citeseer')) ? readdirSync(join(cacheDir, 'citeseer')) : []);

  for (const [what, [serve, reason]] of Object.entries(BEHAVIOURS)) {
    it(`a server that ${what}: DataMissingError naming the file and why, in seconds; the CLI exits 2`, async () => {
      behaviour = serve;
      const env = { GCNLAB_DOWNLOAD_TIMEOUT: '1' };
      const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { cacheDir, baseUrl } }, env);
      assert.equal(report.error, 'DataMissingError', describeOutcome(report.outcome));
      assert.match(report.message!, /dataset 'citeseer' is missing ind\.citeseer\.x, /);
      assert.match(report.message!, reason);
      assert.deepEqual(leftovers(), [], 'nothing cached, no .part left');

      const cli = await runCli(['--dataset', 'citeseer'], { ...env, GCNLAB_CACHE_DIR: cacheDir, GCNLAB_DATA_URL: baseUrl });
      assert.equal(cli.status, 2, describeOutcome(cli));
      assert.match(cli.stderr, /^gcnlab train: dataset 'citeseer' is missing 8 files \(ind\.citeseer\.x, \.\.\.\)[^\n]*\n$/);
    });
  }

  /** The CLI downloading from a stalled server, sent `signal` once its .part file appears (or near the watchdog). */
  async function interruptedDownload(signal: NodeJS.Signals) {
    behaviour = BEHAVIOURS['stalls mid-file'][0];
    let sawPart = false;
    const cli = await runCli(['--dataset', 'citeseer'], { GCNLAB_CACHE_DIR: cacheDir, GCNLAB_DATA_URL: baseUrl }, async (child) => {
      for (let i = 0; i < 20 * (WATCHDOG_SECONDS - 5) && !sawPart; i++) {
        await sleep(50);
        sawPart = leftovers().some((name) => name.endsWith('.part'));
      }
      child.kill(signal);
    });
    assert.ok(sawPart, `the download's .part file appeared (${describeOutcome(cli)})`);
    return cli;
  }

  it('SIGKILL during a stalled download leaves a .part file that the next run removes', async () => {
    const cli = await interruptedDownload('SIGKILL');
    assert.equal(cli.signal, 'SIGKILL', describeOutcome(cli));
    assert.ok(leftovers().some((name) => name.endsWith('.part')), 'no process can clean up after SIGKILL');
    // The next run, with the server answering 404 for every file: the dead process's .part goes, nothing else is made.
    behaviour = (response) => response.writeHead(404).end();
    const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { cacheDir, baseUrl } });
    assert.equal(report.error, 'DataMissingError', describeOutcome(report.outcome));
    assert.deepEqual(leftovers(), [], 'the dead run\'s .part file is gone');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a stalled download ends the CLI and leaves no .part file`, async () => {
      const cli = await interruptedDownload(signal);
      assert.equal(cli.signal, signal, describeOutcome(cli));
      assert.deepEqual(leftovers(), [], 'the .part file is gone');
    });
  }
});
