// A throwaway HTTP server on 127.0.0.1 serving files from memory, recording what was asked for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  baseUrl: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * `files` maps a path ('/ind.cora.x') to its bytes; it may be changed while the server runs. Others get 404.
 * Paths in `cutShort` announce their full length, send half, then drop the connection.
 */
export async function serveFiles(files: Map<string, Uint8Array>, cutShort: Set<string> = new Set()): Promise<FileServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const body = files.get(path);
    if (!body) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-length': body.byteLength, 'content-type': 'application/octet-stream' });
    if (cutShort.has(path)) response.write(body.subarray(0, body.byteLength >> 1), () => response.destroy());
    else response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
