/**
 * A stand-in for the credential agent on its socket: answers the first request with `answer`
 * (one line of the agent protocol) and closes. Records what it was asked.
 */
import { createServer } from 'node:net';

/** A pid no process has: a stop that finds it waits for nothing. */
export const NO_SUCH_PID = 2147483646;

export async function fakeAgent(socket: string, answer: string): Promise<{ requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((c) => {
    c.setEncoding('utf8');
    c.once('data', (d: string) => {
      requests.push(d);
      c.end(`${answer}\n`);
      server.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { requests };
}
