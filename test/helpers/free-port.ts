// A TCP port on 127.0.0.1 that nothing listens on now, for the servers the tests start.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', reject);
  });
}
