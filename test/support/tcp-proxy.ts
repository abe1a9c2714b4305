import { createServer, connect, type Server, type Socket } from 'node:net';

/** A free TCP port on loopback, for a server or proxy to listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * A TCP proxy on loopback in front of PostgreSQL, so a test or the evidence suite's fault
 * section can make the database go away and come back: `close()` stops listening and cuts every connection through it (as a
 * database restart or a network failure does), `open()` lets connections through again. The
 * service is pointed at the proxy's port and never knows it is there.
 */
export class TcpProxy {
  readonly port: number;
  readonly #targetHost: string;
  readonly #targetPort: number;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();

  private constructor(port: number, targetHost: string, targetPort: number) {
    this.port = port;
    this.#targetHost = targetHost;
    this.#targetPort = targetPort;
  }

  /** A proxy to the PostgreSQL server of `postgresUrl`, closed until `open()`. */
  static async to(postgresUrl: string): Promise<TcpProxy> {
    const url = new URL(postgresUrl);
    const host = url.hostname || '127.0.0.1';
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
      throw new Error(`the fault proxy forwards to loopback only, not to ${host}`);
    }
    return new TcpProxy(await freePort(), host, Number(url.port || 5432));
  }

  get isOpen(): boolean {
    return this.#server !== null;
  }

  async open(): Promise<void> {
    if (this.#server) {
      return;
    }
    const server = createServer((client) => {
      const upstream = connect({ host: this.#targetHost, port: this.#targetPort });
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.once('close', () => this.#sockets.delete(s));
        // A cut connection is the point of this proxy, not an error of it.
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        resolve();
      });
    });
    this.#server = server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) {
      s.destroy();
    }
    this.#sockets.clear();
    if (server) {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  }
}
