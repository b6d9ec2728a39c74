/**
 * A lesson with a missing or invalid frontmatter field must fail the build with a message naming the
 * file and the field. Proven on Astro itself: a tiny fixture project that reuses the real content
 * config (src/content.config.ts + src/schemas/lesson.ts) is synced with `astro sync`, which runs the
 * same content-layer validation as `astro build` at a fraction of the cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lessonSchema } from '../../src/schemas/lesson.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

const good = {
  title: 'A fine lesson',
  description: 'A description that is long enough to pass the schema.',
  order: 1,
  minutes: 10,
  objectives: ['Do the first thing', 'Do the second thing'],
};

const frontmatter = (data: Record<string, unknown>) =>
  `---\n${Object.entries(data)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n---\n\nBody text.\n`;

describe('lesson frontmatter schema', () => {
  it('accepts a complete lesson and fills defaults', () => {
    const parsed = lessonSchema.parse(good);
    expect(parsed.labs).toEqual([]);
    expect(parsed.draft).toBe(false);
  });

  it.each([
    ['minutes', { ...good, minutes: undefined }],
    ['order', { ...good, order: 0 }],
    ['objectives', { ...good, objectives: ['only one objective'] }],
    ['labs', { ...good, labs: ['Not A Lab Id'] }],
  ])('rejects a bad %s and names it in the issue path', (field, data) => {
    const result = lessonSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => String(i.path[0]))).toContain(field);
  });
});

describe('astro build on a lesson with a bad field', () => {
  let fixture: string;

  beforeAll(async () => {
    // Inside the repo so the fixture resolves astro and the real content config from node_modules.
    await mkdir(join(root, 'tests/.tmp'), { recursive: true });
    fixture = await mkdtemp(join(root, 'tests/.tmp/schema-fixture-'));
    await mkdir(join(fixture, 'src/pages'), { recursive: true });
    await mkdir(join(fixture, 'content/lessons'), { recursive: true });
    await writeFile(
      join(fixture, 'astro.config.mjs'),
      "import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()], telemetry: false });\n",
    );
    await writeFile(
      join(fixture, 'src/content.config.ts'),
      `export { collections } from ${JSON.stringify(join(root, 'src/content.config.ts'))};\n`,
    );
    await writeFile(join(fixture, 'src/pages/index.astro'), '<p>fixture</p>\n');
    await writeFile(join(fixture, 'content/lessons/01-good.mdx'), frontmatter(good));
    const { minutes: _dropped, ...missingMinutes } = good;
    await writeFile(
      join(fixture, 'content/lessons/02-broken-lesson.mdx'),
      frontmatter({ ...missingMinutes, order: 2 }),
    );
  });

  afterAll(async () => {
    if (fixture) await rm(fixture, { recursive: true, force: true });
  });

  it('fails, naming the file and the field', () => {
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules/astro/bin/astro.mjs'), 'sync'],
      {
        cwd: fixture,
        encoding: 'utf8',
        env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
        timeout: 120_000,
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).not.toBe(0);
    expect(output).toMatch(/02-broken-lesson/);
    expect(output).toMatch(/\bminutes\b/);
    expect(output).not.toMatch(/01-good/);
  }, 120_000);
});
