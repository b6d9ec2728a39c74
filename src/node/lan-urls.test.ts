import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { isWildcardHost, lanUrls } from './lan-urls.ts';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  eth0: [info('192.168.1.20', 'IPv4'), info('fe80::1', 'IPv6'), info('2001:db8::5', 'IPv6')],
  wlan0: [info('10.0.0.7', 'IPv4')],
};

describe('LAN URLs to hand out', () => {
  it('lists every non-internal IPv4 address for 0.0.0.0', () => {
    expect(lanUrls('0.0.0.0', 4321, '/course/', interfaces)).toEqual([
      'http://192.168.1.20:4321/course/',
      'http://10.0.0.7:4321/course/',
    ]);
  });

  it('adds routable IPv6 addresses for ::, never link-local ones', () => {
    expect(lanUrls('::', 80, '/', interfaces)).toEqual([
      'http://192.168.1.20:80/',
      'http://[2001:db8::5]:80/',
      'http://10.0.0.7:80/',
    ]);
  });

  it('lists nothing for a specific host', () => {
    expect(lanUrls('127.0.0.1', 80, '/', interfaces)).toEqual([]);
    expect(isWildcardHost('192.168.1.20')).toBe(false);
    expect(isWildcardHost('0.0.0.0')).toBe(true);
  });
});
