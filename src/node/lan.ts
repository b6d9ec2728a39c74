/**
 * The URLs a server can hand out: never `0.0.0.0` or `::` (a browser cannot open them). A server bound
 * to a wildcard address is reachable on loopback and on each LAN address; one bound to a single address
 * only there. Shared by `streamlab mock` and `streamlab serve`.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export interface HandableUrl {
  /** `local` (this machine only) or `share` (other machines on the network). */
  scope: 'local' | 'share';
  /** e.g. `http://192.168.1.20:8787` (IPv6 in brackets). */
  url: string;
  /** The interface name, for `share` addresses (`en0`, `wlan0`). */
  iface?: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** Non-internal addresses by interface: IPv4, and IPv6 unless `ipv6` is false; link-local IPv6 left out. */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
  ipv6 = false,
): { iface: string; address: string }[] {
  const out: { iface: string; address: string }[] = [];
  for (const [iface, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4' || (ipv6 && !info.address.startsWith('fe80')))
        out.push({ iface, address: info.address });
    }
  }
  return out;
}

const hostPart = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** The URLs to print for a server bound to `host` on `port`. */
export function handableUrls(
  host: string,
  port: number,
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>,
): HandableUrl[] {
  const url = (address: string): string => `http://${hostPart(address)}:${port}`;
  if (WILDCARDS.has(host)) {
    return [
      { scope: 'local', url: url('127.0.0.1') },
      ...lanAddresses(interfaces, host.includes(':')).map(({ iface, address }) => ({
        scope: 'share' as const,
        url: url(address),
        iface,
      })),
    ];
  }
  return [{ scope: LOOPBACK.test(host) ? 'local' : 'share', url: url(host) }];
}
