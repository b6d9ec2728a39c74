/**
 * An unprivileged nginx from the system's package (Debian: `apt-get install nginx`) for e2e tests: its
 * own temporary prefix (config, pid, logs, temp folders), a free port, no daemon. The caller gives the
 * `server { }` body; the deploy recipe (src/deploy/nginx/streamlab.conf) can be part of it.
 *
 *   const nginx = await startNginx(`location / { root ${dist}; }`);
 *   ... nginx.url ...
 *   await nginx.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'];
const MIME_TYPES = '/etc/nginx/mime.types';

/** The nginx executable, or throws naming the command that installs it. */
export function nginxPath(): string {
  const found = NGINX_CANDIDATES.find((path) => existsSync(path));
  if (!found || !existsSync(MIME_TYPES)) {
    throw new Error(
      'nginx not found (the e2e tests serve the site with it). Install it with ' +
        '`sudo apt-get install -y nginx` (Debian/Ubuntu), then run the tests again.',
    );
  }
  return found;
}

/** A port free right now (nginx cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface RunningNginx {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  origin: string;
  /** The temporary prefix: config, logs. */
  prefix: string;
  stop(): Promise<void>;
}

function mainConfig(prefix: string, port: number, serverBody: string): string {
  const temp = (name: string) => join(prefix, 'temp', name);
  // As root, nginx would hand requests to `nobody`, who may not read the checkout.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
daemon off;
events { worker_connections 256; }
http {
  include ${MIME_TYPES};
  default_type application/octet-stream;
  access_log off;
  sendfile off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
${serverBody}
  }
}
`;
}

async function waitForPort(origin: string, child: ChildProcess, log: () => Promise<string>) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${await log()}`);
    const up = await fetch(origin, { method: 'HEAD' }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not answer on ${origin}: ${await log()}`);
}

/** Starts nginx with `serverBody` inside its one `server { }`; resolves once it answers. */
export async function startNginx(serverBody: string): Promise<RunningNginx> {
  const executable = nginxPath();
  const prefix = await mkdtemp(join(tmpdir(), 'streamlab-nginx-'));
  await mkdir(join(prefix, 'temp'));
  const log = () => readFile(join(prefix, 'error.log'), 'utf8').catch(() => '(no error log)');
  // A port can be taken between the probe and nginx's bind: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(prefix, 'nginx.conf');
    await writeFile(config, mainConfig(prefix, port, serverBody));
    const child = spawn(executable, ['-p', prefix, '-c', config, '-e', join(prefix, 'error.log')], {
      stdio: 'ignore',
    });
    const origin = `http://127.0.0.1:${port}`;
    try {
      await waitForPort(origin, child, log);
    } catch (error) {
      child.kill();
      if (attempt < 3 && /Address already in use/.test(await log())) continue;
      await rm(prefix, { recursive: true, force: true });
      throw error;
    }
    return {
      origin,
      prefix,
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGQUIT');
          await exited;
        }
        await rm(prefix, { recursive: true, force: true });
      },
    };
  }
}

/**
 * The deploy recipe at `path`, serving `dir`: the file's own text with its example path (`/course/`)
 * and folder (`/srv/streamlab/`) replaced, exactly as its header tells a reader to do.
 */
export async function nginxRecipe(path: string, dir: string): Promise<string> {
  const recipe = await readFile(
    new URL('../../src/deploy/nginx/streamlab.conf', import.meta.url),
    'utf8',
  );
  const folder = dir.endsWith('/') ? dir : `${dir}/`;
  return recipe.replaceAll('/course/', path).replaceAll('/srv/streamlab/', folder);
}
