/**
 * The figures beside the timeline, as labelled, formatted values (the model computes the numbers
 * incrementally; this file only words them, once, for the view and for the lesson text).
 */
import type { Figures } from './types.ts';

export interface FigureItem {
  key: keyof Figures | 'readsVsEvents';
  label: string;
  value: string;
  /** A sentence saying what the figure means, for the title/tooltip and screen readers. */
  description: string;
}

/** Formats milliseconds for display: `—` when unknown, one decimal under 10 ms, else whole ms / seconds. */
export function formatMs(value: number | null): string {
  if (value === null) return '—';
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (Math.abs(value) < 10) return `${Math.round(value * 10) / 10} ms`;
  return `${Math.round(value)} ms`;
}

/** The figures in display order. */
export function figureItems(f: Figures): FigureItem[] {
  return [
    {
      key: 'ttftMs',
      label: 'TTFT',
      value: formatMs(f.ttftMs),
      description: 'Time to first token: from the first request to the first piece of output.',
    },
    {
      key: 'totalMs',
      label: 'Total',
      value: formatMs(f.totalMs),
      description: 'From the first request to the end of the last response.',
    },
    {
      key: 'tokens',
      label: 'Tokens',
      value: String(f.tokens),
      description:
        f.tokensSource === 'usage'
          ? 'Output tokens, as reported by the provider in its usage data.'
          : 'Output tokens, counted as the number of text and tool-argument deltas.',
    },
    {
      key: 'tokensPerSecond',
      label: 'Tokens/s',
      value: f.tokensPerSecond === null ? '—' : String(f.tokensPerSecond),
      description: 'Tokens per second between the first and the last token.',
    },
    {
      key: 'longestGapMs',
      label: 'Longest gap',
      value: formatMs(f.longestGapMs),
      description:
        'The longest silence on the wire: between the response headers and a read, or two reads.',
    },
    {
      key: 'readsVsEvents',
      label: 'Reads / events',
      value: `${f.reads} / ${f.events}`,
      description:
        'How many times the body was read, against how many SSE events the parser produced.',
    },
  ];
}
