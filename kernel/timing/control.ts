// The control thread's side of timing: keeps the history the main thread posts and answers gcnlab_timing_request
// on the control channel, so a panel gets every record and switches devices while cells are queued or running.
import { TimingHistory } from './history.js';
import type { TimingControlReply, TimingControlRequest } from './messages.js';
import { openThreadChannel } from './threads.js';

export interface TimingControl {
  answer(content: unknown): TimingControlReply;
}

function badRequest(evalue: string): TimingControlReply {
  return { status: 'error', ename: 'BadTimingRequest', evalue, traceback: [] };
}

export function startTimingControl(): TimingControl {
  const history = new TimingHistory();
  let session = '';
  let runningCell: number | null = null;
  let listening = false;
  const channel = openThreadChannel((message) => {
    if (message.type === 'records') {
      session = message.session;
      history.add(message.records);
    } else if (message.type === 'cell') {
      runningCell = message.running;
    }
  });
  return {
    answer(content) {
      const request = (content ?? {}) as Partial<TimingControlRequest> & Record<string, unknown>;
      if (request.kind === 'history') {
        const after = request.after ?? 0;
        const limit = request.limit ?? undefined;
        if (typeof after !== 'number' || (limit !== undefined && (typeof limit !== 'number' || limit < 1))) {
          return badRequest(`history: after must be a seq number and limit a positive number (got after ${JSON.stringify(after)}, limit ${JSON.stringify(limit)})`);
        }
        if (!listening) channel.post({ type: 'listening' });
        listening = true;
        const { records, more } = history.after(after, limit);
        return { status: 'ok', kind: 'history', session, records, more, dropped: history.dropped, lastSeq: history.lastSeq, runningCell };
      }
      if (request.kind === 'switch-device') {
        if (typeof request.device !== 'string' || typeof request.requestId !== 'string') {
          return badRequest(`switch-device needs a device name (such as cpu or wasm) and a requestId string (got ${JSON.stringify(request)})`);
        }
        channel.post({ type: 'switch-device', device: request.device, requestId: request.requestId });
        return { status: 'ok', kind: 'switch-device', requestId: request.requestId, device: request.device, when: runningCell === null ? 'now' : 'after-cell', runningCell };
      }
      return badRequest(`unknown gcnlab_timing_request kind ${JSON.stringify(request.kind)}: send 'history' or 'switch-device'`);
    },
  };
}
