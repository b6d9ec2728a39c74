import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, gzipBytes, pageWeight, staticImports } from '../size/measure.ts';

describe('staticImports', () => {
  it('follows import and export-from, not dynamic import()', () => {
    const code =
      'import{t as e}from"./a.js";import"./b.js";export{x}from"./c.js";const l=()=>import("./lazy.js");';
    expect(staticImports(code)).toEqual(['./a.js', './b.js', './c.js']);
  });
});

describe('pageWeight', () => {
  function site() {
    const dist = mkdtempSync(join(tmpdir(), 'size-'));
    mkdirSync(join(dist, '_astro'));
    mkdirSync(join(dist, 'lessons', 'x'), { recursive: true });
    const chunk = (name: string, code: string) => writeFileSync(join(dist, '_astro', name), code);
    chunk('page.js', 'import"./shared.js";');
    chunk('island.js', 'import{a}from"./shared.js";const e=()=>import("./engine.js");');
    chunk('renderer.js', 'export const r=1;');
    chunk('shared.js', 'export const a="' + 'x'.repeat(500) + '";');
    chunk('engine.js', 'export const big="' + 'y'.repeat(5000) + '";');
    writeFileSync(
      join(dist, 'lessons', 'x', 'index.html'),
      '<script type="module" src="../../_astro/page.js"></script><script>var inline=1</script>' +
        '<script type="application/json">{"not":"js"}</script>' +
        '<astro-island component-url="../../_astro/island.js" renderer-url="../../_astro/renderer.js"></astro-island>',
    );
    return dist;
  }

  it('counts page scripts, islands and their static imports once, and no lazy chunk', () => {
    const dist = site();
    const weight = pageWeight(dist, 'lessons/x');
    expect(weight.files.map((f) => f.file).sort()).toEqual([
      '_astro/island.js',
      '_astro/page.js',
      '_astro/renderer.js',
      '_astro/shared.js',
    ]);
    const files = weight.files.reduce((sum, f) => sum + f.gzip, 0);
    expect(weight.gzip).toBe(files + gzipBytes('var inline=1\n'));
  });

  it('names a statically imported file missing from the build', () => {
    const dist = site();
    writeFileSync(join(dist, '_astro', 'page.js'), 'import"./gone.js";');
    expect(() => pageWeight(dist, 'lessons/x')).toThrow(/gone\.js is imported but missing/);
  });

  it('finds a bundle by its name, and says when it is not there', () => {
    const dist = site();
    expect(bundle(dist, 'engine').raw).toBe(5000 + 'export const big="";'.length);
    expect(() => bundle(dist, 'ts.worker-')).toThrow(
      /expected one ts\.worker-\*\.js .* found none/,
    );
  });
});
