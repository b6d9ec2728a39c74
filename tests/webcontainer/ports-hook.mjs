/**
 * Loaded into every Node process the stand-in container starts (`--import`): gives the container its own
 * port space, as a WebContainer has. A server asking for port P really listens on a free port, and the
 * pair is written to `$STANDIN_PORTS/P`; a connection to localhost:P inside the container is sent to the
 * real port. So programs use the ports they would use in a WebContainer (the mock on 8787) while several
 * stand-ins (and other people's servers) share one machine.
 */
import net from 'node:net';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.STANDIN_PORTS;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const local = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', undefined, '']);
  const realPort = (port) => {
    try {
      return Number(readFileSync(join(dir, String(port)), 'utf8'));
    } catch {
      return undefined;
    }
  };

  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    const options = typeof args[0] === 'object' && args[0] !== null ? { ...args[0] } : undefined;
    const wanted = options ? Number(options.port ?? 0) : Number(args[0] ?? 0);
    if (!Number.isInteger(wanted) || wanted === 0) return listen.apply(this, args);
    if (realPort(wanted) !== undefined) {
      const error = Object.assign(
        new Error(`listen EADDRINUSE: address already in use :::${wanted}`),
        {
          code: 'EADDRINUSE',
          port: wanted,
        },
      );
      process.nextTick(() => this.emit('error', error));
      return this;
    }
    this.once('listening', () => {
      // `P.pid` names the owner, so the stand-in frees P when it kills the process (no exit handler runs).
      writeFileSync(join(dir, `${wanted}.pid`), String(process.pid));
      writeFileSync(join(dir, String(wanted)), String(this.address().port));
      const release = () => {
        rmSync(join(dir, String(wanted)), { force: true });
        rmSync(join(dir, `${wanted}.pid`), { force: true });
      };
      this.once('close', release);
      process.once('exit', release);
    });
    const callback = args.find((a) => typeof a === 'function');
    const next = { ...(options ?? {}), port: 0, host: '127.0.0.1' };
    return callback ? listen.call(this, next, callback) : listen.call(this, next);
  };
  // The mock's CLI prints the address it bound: show the container port, as in a WebContainer.
  const address = net.Server.prototype.address;
  net.Server.prototype.address = function () {
    const real = address.call(this);
    if (!real || typeof real !== 'object') return real;
    for (const name of safeList(dir)) {
      if (/^\d+$/.test(name) && realPort(name) === real.port)
        return { ...real, port: Number(name) };
    }
    return real;
  };

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    const options = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (options && typeof options === 'object' && local.has(options.host) && options.port) {
      const mapped = realPort(Number(options.port));
      if (mapped !== undefined) {
        const copy = { ...options, port: mapped, host: '127.0.0.1' };
        // Node passes a normalized array carrying a private symbol: change it in place.
        if (Array.isArray(args[0])) args[0][0] = copy;
        else args[0] = copy;
      }
    } else if (typeof options === 'number' && local.has(args[1])) {
      const mapped = realPort(options);
      if (mapped !== undefined) args[0] = mapped;
    }
    return connect.apply(this, args);
  };
}

function safeList(folder) {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
