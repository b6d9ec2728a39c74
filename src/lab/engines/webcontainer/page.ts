/**
 * The page's one Node mode (shared by every lab on the page), with the real WebContainer and the
 * programs bundled at build time. Imported lazily by the lab UI when it first needs Node mode.
 */
import { createWebContainerEngine } from './engine.ts';
import { createNodeMode } from './mode.ts';

export const nodeMode = createNodeMode({
  createEngine: async () => {
    const { bootWebContainer } = await import('./boot.ts');
    return createWebContainerEngine({
      boot: bootWebContainer,
      programs: () => import('virtual:streamlab/container-programs'),
    });
  },
});
