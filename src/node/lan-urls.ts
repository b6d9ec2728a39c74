/**
 * The URLs to hand out when a server listens on every interface (`--host 0.0.0.0` or `::`): one per
 * non-internal address of this machine, so people in the same room can open them. Shared by
 * `streamlab serve` and `streamlab mock`.
 *
 *   lanUrls('0.0.0.0', 4321, '/course/') -> ['http://192.168.1.20:4321/course/']
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** True for a host that listens on every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/**
 * LAN URLs for a server bound to `host`: every non-internal IPv4 address for `0.0.0.0`, and IPv6 ones
 * (not link-local, which need a zone id a browser cannot take) as well for `::`. Empty for a host that
 * is not a wildcard (the server is reachable only at that address).
 */
export function lanUrls(
  host: string,
  port: number,
  path = '/',
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  if (!isWildcardHost(host)) return [];
  const withV6 = host !== '0.0.0.0';
  const urls: string[] = [];
  for (const info of Object.values(interfaces).flat()) {
    if (!info || info.internal) continue;
    if (info.family === 'IPv4') urls.push(`http://${info.address}:${port}${path}`);
    else if (withV6 && !info.address.toLowerCase().startsWith('fe80:'))
      urls.push(`http://[${info.address}]:${port}${path}`);
  }
  return [...new Set(urls)];
}
