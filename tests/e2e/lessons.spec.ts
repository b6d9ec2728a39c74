/**
 * The lessons' own parts, on every built lesson page: the required sections, the code samples, the
 * diagrams' text alternatives, the self-check with keyboard and progress, and the self-check without
 * JavaScript. (Page-level axe, links and themes are in site.spec.ts.)
 */
import { expect, test } from '@playwright/test';
import { listLessonPages, sample } from './helpers.ts';

const lessons = await listLessonPages();

test('the self-check works with the keyboard, announces feedback and records progress', async ({
  page,
}) => {
  const path = lessons[0]!;
  const slug = path.split('/')[1]!;
  await page.goto(path);
  const first = page.locator('.quiz-item').first();
  await first.scrollIntoViewIfNeeded();
  const check = first.getByRole('button', { name: 'Check' });
  // Hydrated when visible (client:visible): on a busy 2-core machine that can take several seconds.
  await expect(check).toBeVisible({ timeout: 15_000 });
  await expect(check).toBeDisabled();
  // Keyboard only: focus the first option, move with the arrow keys (radio group), then Check.
  await first.getByRole('radio').first().focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(first.getByRole('radio').nth(1)).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(check).toBeFocused();
  await page.keyboard.press('Enter');
  const feedback = first.getByRole('status');
  await expect(feedback).toContainText(/Correct\.|Not quite\./);
  const stored = await page.evaluate(() => localStorage.getItem('streamlab:progress'));
  const quizzes = (
    JSON.parse(stored ?? '{}') as { quizzes?: Record<string, Record<string, unknown>> }
  ).quizzes;
  expect(Object.keys(quizzes?.[slug] ?? {})).toHaveLength(1);
});

// Everything here is in the HTML the server sends: checked without JavaScript, which is also quicker.
test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  for (const path of lessons) {
    // The sample: the first and the last lesson (tests/unit/lesson-structure.test.ts checks every MDX file).
    const inSample = path === lessons[0] || path === lessons.at(-1);
    test(
      `/${path} has objectives, samples, a diagram, pitfalls, a summary, a lab and a self-check whose answers open in disclosures`,
      sample(inSample),
      async ({ page }) => {
        await page.goto(path);
        await expect(
          page.getByRole('heading', { level: 2, name: 'After this lesson you can' }),
        ).toBeVisible();
        expect(await page.locator('.objectives li').count()).toBeGreaterThanOrEqual(2);
        await expect(page.getByRole('heading', { level: 2, name: 'Pitfalls' })).toBeVisible();
        await expect(page.getByRole('heading', { level: 2, name: 'Summary' })).toBeVisible();
        await expect(page.getByRole('heading', { level: 2, name: 'Self-check' })).toBeVisible();
        expect(await page.locator('[data-sample]').count()).toBeGreaterThanOrEqual(3);
        expect(await page.locator('[data-sample][data-runnable]').count()).toBeGreaterThanOrEqual(
          2,
        );
        expect(await page.locator('aside.pitfall').count()).toBeGreaterThanOrEqual(3);
        // Every diagram is an image with a name and a description, and a visible caption.
        const figures = page.locator('figure.diagram');
        expect(await figures.count()).toBeGreaterThanOrEqual(1);
        for (const figure of await figures.all()) {
          // A diagram may carry a phone drawing beside the wide one; only the one that fits is shown.
          const svg = figure.locator('svg[role="img"]').filter({ visible: true });
          await expect(svg).toHaveAccessibleName(/.{10,}/);
          await expect(svg).toHaveAccessibleDescription(/.{60,}/);
          await expect(figure.locator('figcaption')).not.toBeEmpty();
        }
        // Every lesson has at least one lab.
        expect(await page.locator('[data-lab]').count()).toBeGreaterThanOrEqual(1);
        // The self-check: 3 to 5 questions, no Check buttons without JavaScript, answers in disclosures.
        const questions = page.locator('.quiz fieldset');
        expect(await questions.count()).toBeGreaterThanOrEqual(3);
        expect(await questions.count()).toBeLessThanOrEqual(5);
        await expect(page.locator('.quiz-check')).toHaveCount(0);
        for (const question of await questions.all()) {
          const details = question.locator('details');
          await details.locator('summary').click();
          await expect(details.getByText('Right:')).toHaveCount(1);
        }
      },
    );
  }
});

test.describe('on a 375 px phone', sample(false), () => {
  test.use({ viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });

  test('diagram text in every lesson is at least 12 px and stays inside its drawing, and copy buttons cover no code', async ({
    page,
  }) => {
    expect(lessons.length).toBeGreaterThanOrEqual(1);
    for (const path of lessons) {
      const slug = `/${path}`;
      await page.goto(path);
      // Each shown drawing: its smallest text in CSS px, the texts whose box leaves the drawing, and
      // the pairs of texts whose boxes overlap (by more than 2 px, so touching lines pass).
      const drawings = await page.evaluate(() =>
        [...document.querySelectorAll<SVGSVGElement>('figure.diagram svg')]
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .map((svg) => {
            const box = svg.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('text')];
            return {
              smallest: Math.min(
                ...texts.map(
                  (text) => parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM()!.a,
                ),
              ),
              outside: texts
                .filter((text) => {
                  const r = text.getBoundingClientRect();
                  return (
                    r.left < box.left - 1 ||
                    r.right > box.right + 1 ||
                    r.top < box.top - 1 ||
                    r.bottom > box.bottom + 1
                  );
                })
                .map((text) => text.textContent?.trim()),
              overlapping: texts.flatMap((a, i) =>
                texts.slice(i + 1).flatMap((b) => {
                  const [p, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
                  const apart =
                    p.right - 2 <= q.left ||
                    q.right - 2 <= p.left ||
                    p.bottom - 2 <= q.top ||
                    q.bottom - 2 <= p.top;
                  return apart ? [] : [`${a.textContent?.trim()} / ${b.textContent?.trim()}`];
                }),
              ),
            };
          }),
      );
      expect(drawings.length, `diagrams shown on ${slug}`).toBeGreaterThanOrEqual(1);
      for (const { smallest, outside, overlapping } of drawings) {
        expect(smallest, `smallest diagram text on ${slug}, px`).toBeGreaterThanOrEqual(12);
        expect(outside, `diagram text running outside its drawing on ${slug}`).toEqual([]);
        expect(overlapping, `diagram texts overlapping on ${slug}`).toEqual([]);
      }
      // The text boxes of each code block's first two lines (not the full-width line boxes) against the
      // copy button's box.
      const covered = await page.evaluate(
        () =>
          [...document.querySelectorAll('.expressive-code .frame')].filter((frame) => {
            const button = frame.querySelector('.copy button')?.getBoundingClientRect();
            if (!button || button.width === 0) return false;
            return [...frame.querySelectorAll('.ec-line .code')].slice(0, 2).some((code) => {
              const range = document.createRange();
              range.selectNodeContents(code);
              return [...range.getClientRects()].some(
                (text) =>
                  button.bottom > text.top &&
                  button.top < text.bottom &&
                  button.right > text.left &&
                  button.left < text.right,
              );
            });
          }).length,
      );
      expect(covered, `code blocks on ${slug} whose copy button covers code`).toBe(0);
    }
  });
});
