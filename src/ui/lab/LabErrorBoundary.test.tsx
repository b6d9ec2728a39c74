import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LabErrorBoundary } from './LabErrorBoundary.tsx';

function fallbackFor(error: unknown): string {
  const boundary = new LabErrorBoundary({ labId: 'sse-reader', children: null });
  boundary.state = { ...boundary.state, ...LabErrorBoundary.getDerivedStateFromError(error) };
  return renderToStaticMarkup(<>{boundary.render()}</>);
}

describe('LabErrorBoundary', () => {
  it('replaces a crashed lab with what happened and a way back', () => {
    const html = fallbackFor(new Error('Cannot read properties of undefined'));
    expect(html).toContain('role="alert"');
    expect(html).toContain('Cannot read properties of undefined');
    expect(html).toContain('Reload the lab');
  });

  it('cuts a huge message with a note, and copes with thrown non-errors', () => {
    const html = fallbackFor(new Error('x'.repeat(5000)));
    expect(html).toContain('(4700 more characters not shown)');
    expect(html.length).toBeLessThan(2000);
    expect(fallbackFor('a string')).toContain('a string');
  });

  it('renders its children while nothing failed', () => {
    const boundary = new LabErrorBoundary({ labId: 'x', children: <p>lab</p> });
    expect(renderToStaticMarkup(<>{boundary.render()}</>)).toBe('<div><p>lab</p></div>');
  });
});
