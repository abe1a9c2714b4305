import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer as createNetServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/**
 * A real Dovecot IMAP server for tests: Debian's dovecot-imapd, started on 127.0.0.1 on a free
 * port with everything (config, sockets, state, maildir, log) in a fresh temp directory. One user
 * signs in with a password (PLAIN/LOGIN) or with an OAuth2 access token (XOAUTH2/OAUTHBEARER);
 * Dovecot checks the token against an introspection endpoint served by this test process.
 */
export interface DovecotServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A token the server accepts for XOAUTH2/OAUTHBEARER login as `user`. */
  readonly accessToken: string;
  /** The mechanisms the server offers, e.g. to check which one a client used. */
  readonly authMechanisms: readonly string[];
  /** Adds a message to a mailbox (default INBOX; another mailbox is created when missing). */
  append(raw: Buffer | string, mailbox?: string): Promise<void>;
  /** The tail of Dovecot's log, for failure messages. */
  logTail(lines?: number): string;
  /** Stops Dovecot and the introspection endpoint and removes the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /**
   * The OAuth2 mechanisms to offer. Default both; `['xoauth2']` is what Microsoft 365 (NHSmail)
   * offers, and makes imapflow use XOAUTH2 instead of OAUTHBEARER.
   */
  readonly oauth2Mechanisms?: readonly ('xoauth2' | 'oauthbearer')[];
}

/** Debian's dovecot-imapd; DOVECOT_BIN points elsewhere (or at nothing, to try the skip path). */
const DOVECOT = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';
const START_TIMEOUT_MS = 10_000;

export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT);
}

/** Who Dovecot runs its processes and stores mail as: the Debian package's users as root, else ourselves. */
function identities(): {
  internalUser: string;
  internalGroup: string;
  loginUser: string;
  uid: number;
  gid: number;
  rootless: boolean;
} {
  if (process.getuid?.() === 0) {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).trim());
    return {
      internalUser: 'dovecot',
      internalGroup: 'dovecot',
      loginUser: 'dovenull',
      uid: id('-u'),
      gid: id('-g'),
      rootless: false,
    };
  }
  const me = userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return {
    internalUser: me.username,
    internalGroup: group,
    loginUser: me.username,
    uid: me.uid,
    gid: me.gid,
    rootless: true,
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  return address.port;
}

/** The OAuth2 token introspection endpoint (RFC 7662 style) Dovecot posts `token=…` to. */
async function startIntrospection(
  user: string,
  accessToken: string,
): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token');
      const body = token === accessToken ? { active: true, username: user } : { active: false };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('introspection server has no port');
  }
  return { server, port: address.port };
}

/** Resolves once the server sends its IMAP greeting, so a client will find it ready. */
async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('data', (d: Buffer) => {
      done(d.toString('latin1').startsWith('* OK'));
    });
  });
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const dir = mkdtempSync(join(tmpdir(), 'itb-dovecot-'));
  // Dovecot's unprivileged processes must be able to reach their sockets and the maildir.
  chmodSync(dir, 0o755);
  const user = 'itb.referrals@example.nhs.uk';
  const password = randomBytes(12).toString('hex');
  // No dots: Dovecot would take a token with dots for a JWT and try to validate it locally.
  const accessToken = randomBytes(24).toString('base64url');
  const oauth2Mechanisms = options.oauth2Mechanisms ?? ['xoauth2', 'oauthbearer'];
  const authMechanisms = ['plain', 'login', ...oauth2Mechanisms];
  const logPath = join(dir, 'dovecot.log');
  const confPath = join(dir, 'dovecot.conf');

  let introspection: HttpServer | undefined;
  let child: ChildProcess | undefined;
  let admin: ImapFlow | undefined;
  let adminClient: () => Promise<ImapFlow>;
  let stopped = false;
  // Dovecot runs in a process group of its own, so one signal reaches the master and all its
  // children at once: the master alone takes a second to shut down on SIGTERM.
  const signalDovecot = (signal: NodeJS.Signals): void => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const removeDir = (): void => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  // If the test process ends without calling stop(), leave no Dovecot running behind it. Being in
  // its own process group, Dovecot does not get the Ctrl-C the test process gets.
  const onExit = (): void => {
    signalDovecot('SIGKILL');
    removeDir();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.kill(process.pid, signal);
  };
  const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.once('exit', onExit);
  for (const signal of SIGNALS) {
    process.once(signal, onSignal);
  }

  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    process.removeListener('exit', onExit);
    for (const signal of SIGNALS) {
      process.removeListener(signal, onSignal);
    }
    if (admin !== undefined) {
      await admin.logout().catch(() => undefined);
    }
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) =>
        proc.once('exit', () => {
          resolve();
        }),
      );
      signalDovecot('SIGTERM');
      const timer = setTimeout(() => {
        signalDovecot('SIGKILL');
      }, 3000);
      await exited;
      clearTimeout(timer);
    }
    const server = introspection;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
    removeDir();
  };

  try {
    const who = identities();
    const home = join(dir, 'home');
    mkdirSync(home);
    chownSync(home, who.uid, who.gid);
    for (const d of ['run', 'state']) {
      mkdirSync(join(dir, d), { mode: 0o755 });
    }

    const started = await startIntrospection(user, accessToken);
    introspection = started.server;
    const port = await freePort();

    writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}:${who.uid}:${who.gid}::${home}::\n`, {
      mode: 0o644,
    });
    writeFileSync(
      join(dir, 'oauth2.conf'),
      [
        'introspection_mode = post',
        `introspection_url = http://127.0.0.1:${started.port}/`,
        'force_introspection = yes',
        'username_attribute = username',
        'active_attribute = active',
        'active_value = true',
        'timeout_msecs = 5000',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    writeFileSync(
      confPath,
      [
        `base_dir = ${join(dir, 'run')}`,
        `state_dir = ${join(dir, 'state')}`,
        `instance_name = itb-test-${String(port)}`,
        'listen = 127.0.0.1',
        'protocols = imap',
        'ssl = no',
        'disable_plaintext_auth = no',
        `auth_mechanisms = ${authMechanisms.join(' ')}`,
        // Wrong-password tests would otherwise wait the default 2 seconds (a failure still takes up
        // to half a second: Dovecot sends delayed failures on a 0.5 s timer).
        'auth_failure_delay = 0',
        'auth_verbose = yes',
        `log_path = ${logPath}`,
        `default_internal_user = ${who.internalUser}`,
        `default_internal_group = ${who.internalGroup}`,
        `default_login_user = ${who.loginUser}`,
        // The Debian package's dovecot user has a system UID, below Dovecot's default of 500.
        'first_valid_uid = 1',
        'mail_location = maildir:~/Maildir',
        'passdb {',
        '  driver = passwd-file',
        '  mechanisms = plain login',
        `  args = scheme=PLAIN ${join(dir, 'passwd')}`,
        '}',
        'passdb {',
        '  driver = oauth2',
        `  mechanisms = ${oauth2Mechanisms.join(' ')}`,
        `  args = ${join(dir, 'oauth2.conf')}`,
        '}',
        'userdb {',
        '  driver = passwd-file',
        `  args = ${join(dir, 'passwd')}`,
        '}',
        'service imap-login {',
        ...(who.rootless ? ['  chroot ='] : []),
        '  inet_listener imap {',
        `    port = ${String(port)}`,
        '  }',
        '  inet_listener imaps {',
        '    port = 0',
        '  }',
        '}',
        // No growing delay for logins from an address that has just failed one: the tests sign in
        // with wrong credentials on purpose and then sign in again.
        'service anvil {',
        ...(who.rootless ? ['  chroot ='] : []),
        '  unix_listener anvil-auth-penalty {',
        '    mode = 0',
        '  }',
        '}',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );

    let stderr = '';
    const proc = spawn(DOVECOT, ['-F', '-c', confPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    child = proc;
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const failure = (why: string): Error =>
      new Error(`Dovecot did not start: ${why}\n${stderr.trim()}\n--- Dovecot log ---\n${tail(logPath)}`);

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw failure(`it exited (${String(proc.exitCode ?? proc.signalCode)})`);
      }
      if (await greets(port)) {
        break;
      }
      if (Date.now() > deadline) {
        throw failure(
          `no IMAP greeting on 127.0.0.1:${String(port)} after ${String(START_TIMEOUT_MS / 1000)} s`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    // One connection for all appends, opened on first use and again if it drops.
    adminClient = async () => {
      if (admin === undefined || !admin.usable) {
        admin?.close();
        const client = new ImapFlow({
          host: '127.0.0.1',
          port,
          secure: false,
          auth: { user, pass: password },
          logger: false,
          disableAutoIdle: true,
        });
        client.on('error', () => undefined);
        await client.connect();
        admin = client;
      }
      return admin;
    };

    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      accessToken,
      authMechanisms,
      logTail: (lines?: number) => tail(logPath, lines),
      stop,
      append: async (raw, mailbox = 'INBOX') => {
        const client = await adminClient();
        if (mailbox !== 'INBOX') {
          // Resolves with created: false when the mailbox is already there.
          await client.mailboxCreate(mailbox);
        }
        const done = await client.append(mailbox, raw);
        if (done === false) {
          throw new Error(`Dovecot did not append to ${mailbox}`);
        }
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
