import { expect, it } from 'vitest';
import { sameBase } from '../bench/context.ts';

it('the bench reuses a dist/ built for the base path asked, however its slashes are written', () => {
  // Astro (trailingSlash: 'always') records BASE_PATH=/course as data-build-base="/course/".
  expect(sameBase('/course/', '/course')).toBe(true);
  expect(sameBase('/course/', 'course/')).toBe(true);
  expect(sameBase('/', '/')).toBe(true);
  expect(sameBase('/course/', '/')).toBe(false);
  expect(sameBase('/', '/course/')).toBe(false);
  expect(sameBase(undefined, '/')).toBe(false);
});
