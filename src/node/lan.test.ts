import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { handableUrls } from './lan.ts';

const ifaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  wlan0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false },
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '2001:db8::5', family: 'IPv6', internal: false },
  ],
  docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
} as unknown as NodeJS.Dict<NetworkInterfaceInfo[]>;

describe('handableUrls', () => {
  it('never prints a wildcard address: loopback plus each LAN address instead', () => {
    const urls = handableUrls('0.0.0.0', 8787, ifaces);
    expect(urls).toEqual([
      { scope: 'local', url: 'http://127.0.0.1:8787' },
      { scope: 'share', url: 'http://192.168.1.20:8787', iface: 'wlan0' },
      { scope: 'share', url: 'http://172.17.0.1:8787', iface: 'docker0' },
    ]);
    expect(JSON.stringify(handableUrls('::', 80, ifaces))).not.toContain('[::]');
    expect(handableUrls('::', 80, ifaces).map((u) => u.url)).toContain('http://[2001:db8::5]:80');
  });

  it('a single bound address is the one URL', () => {
    expect(handableUrls('127.0.0.1', 1, ifaces)).toEqual([
      { scope: 'local', url: 'http://127.0.0.1:1' },
    ]);
    expect(handableUrls('192.168.1.20', 2, ifaces)).toEqual([
      { scope: 'share', url: 'http://192.168.1.20:2' },
    ]);
  });
});
