// The wire format: ZeroMQ frames <-> messages, HMAC signing and checking (a bad signature or a replayed message is an
// error, never a message).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { PROTOCOL_VERSION, type Header, type Message } from './messages.js';

const DELIMITER = Buffer.from('<IDS|MSG>');

export class BadSignatureError extends Error {
  constructor(readonly msgType: string | undefined) {
    super(`message with a bad HMAC signature dropped (msg_type ${msgType ?? 'unreadable'}): the sender does not hold this kernel's key`);
  }
}

export class MalformedMessageError extends Error {}

export class ReplayedMessageError extends Error {
  constructor(readonly msgType: string | undefined) {
    super(`message replayed (its signature was seen before; msg_type ${msgType ?? 'unreadable'}) dropped`);
  }
}

/** Signatures remembered to drop replays: jupyter_client's Session keeps as many (digest_history_size). */
const DIGEST_HISTORY = 2 ** 16;

export interface Codec {
  decode(frames: Buffer[]): Message;
  encode(message: Omit<Message, 'buffers'> & { buffers?: Buffer[] }): Buffer[];
  header(msgType: string): Header;
}

/**
 * A codec for one kernel session. `key` empty means unsigned (allowed by the spec), any other key is checked on every
 * message: constant-time comparison of the hex digest over header, parent header, metadata and content.
 */
export function createCodec(key: string, scheme: string, session: string = randomUUID()): Codec {
  if (key && scheme !== 'hmac-sha256') throw new Error(`signature scheme '${scheme}' is not supported: use hmac-sha256`);
  const sign = (parts: Buffer[]): string => {
    if (!key) return '';
    const hmac = createHmac('sha256', key);
    for (const part of parts) hmac.update(part);
    return hmac.digest('hex');
  };
  // Oldest first, so the set forgets in the order it learned (Set keeps insertion order).
  const seen = new Set<string>();
  return {
    header(msgType) {
      return { msg_id: randomUUID(), session, username: 'gcnlab', date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
    },
    decode(frames) {
      const at = frames.findIndex((f) => f.equals(DELIMITER));
      if (at < 0 || frames.length < at + 6) throw new MalformedMessageError(`message without '<IDS|MSG>' delimiter or with ${frames.length} frames`);
      const signature = frames[at + 1].toString();
      const parts = frames.slice(at + 2, at + 6);
      let header: Header | undefined;
      try {
        header = JSON.parse(parts[0].toString());
      } catch {
        header = undefined;
      }
      if (key) {
        const expected = Buffer.from(sign(parts));
        const actual = Buffer.from(signature);
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new BadSignatureError(header?.msg_type);
        if (seen.has(signature)) throw new ReplayedMessageError(header?.msg_type);
        seen.add(signature);
        if (seen.size > DIGEST_HISTORY) seen.delete(seen.values().next().value!);
      }
      if (!header || typeof header !== 'object') throw new MalformedMessageError('header is not a JSON object');
      if (typeof header.msg_type !== 'string' || header.msg_type === '') throw new MalformedMessageError(`header without a msg_type string (${JSON.stringify(header).slice(0, 200)})`);
      const [parent, metadata, content] = parts.slice(1).map((p) => JSON.parse(p.toString()));
      if (typeof content !== 'object' || content === null) throw new MalformedMessageError(`${header.msg_type} whose content is not a JSON object`);
      return { identities: frames.slice(0, at), header, parent_header: parent, metadata, content, buffers: frames.slice(at + 6) };
    },
    encode(message) {
      const parts = [message.header, message.parent_header, message.metadata, message.content].map((p) => Buffer.from(JSON.stringify(p)));
      return [...message.identities, DELIMITER, Buffer.from(sign(parts)), ...parts, ...(message.buffers ?? [])];
    },
  };
}
