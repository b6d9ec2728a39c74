/**
 * Boots the real WebContainer, the only file that imports `@webcontainer/api` (loaded lazily, so pages
 * that never turn Node mode on never fetch it). Its `coep` option must match the page's own
 * Cross-Origin-Embedder-Policy header, which is read from a HEAD request for the page.
 */
import type { LabContainer } from './container.ts';

async function pageCoep(): Promise<'require-corp' | 'credentialless'> {
  try {
    const response = await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
    const header = response.headers.get('cross-origin-embedder-policy') ?? '';
    return header.includes('credentialless') ? 'credentialless' : 'require-corp';
  } catch {
    return 'require-corp';
  }
}

export async function bootWebContainer(): Promise<LabContainer> {
  const [{ WebContainer }, coep] = await Promise.all([import('@webcontainer/api'), pageCoep()]);
  const container = await WebContainer.boot({ coep, workdirName: 'streamlab' });
  return container as unknown as LabContainer;
}
