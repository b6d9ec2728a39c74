/**
 * What Run does: classifies 8 tickets one at a time (limit 1), then with limit 4, and prints how long
 * each took; then one ticket plain and streamed. On the timeline, the first batch is a staircase of
 * requests and the second overlaps four at a time.
 */
import { classify, classifyAll } from './starter.ts';

const TICKETS = [
  'I was charged twice this month.',
  'The app crashes when I log in.',
  'How do I export my data?',
  'My invoice shows the wrong address.',
  'Search returns nothing since the update.',
  'Can I change my username?',
  'The PDF export is blank.',
  'Do you offer a student discount?',
];

/** A slightly faster first token than the scenario's 250 ms, so Run stays short. */
const quicker: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('x-streamlab-knobs', 'ttft_ms=120');
  return fetch(input, { ...init, headers });
};

export default async function run() {
  let start = performance.now();
  const sequential = await classifyAll(TICKETS, { limit: 1, fetch: quicker });
  const sequentialMs = Math.round(performance.now() - start);
  console.log(`limit 1: ${TICKETS.length} tickets in ${sequentialMs} ms`);

  start = performance.now();
  const bounded = await classifyAll(TICKETS, { limit: 4, fetch: quicker });
  const boundedMs = Math.round(performance.now() - start);
  console.log(`limit 4: ${TICKETS.length} tickets in ${boundedMs} ms`);
  bounded.forEach((label, i) =>
    console.log(`${JSON.stringify(TICKETS[i])} -> ${JSON.stringify(label)}`),
  );

  start = performance.now();
  const plain = await classify(TICKETS[0]!, { fetch: quicker });
  const plainMs = Math.round(performance.now() - start);
  start = performance.now();
  const streamed = await classify(TICKETS[0]!, { fetch: quicker, stream: true });
  const streamedMs = Math.round(performance.now() - start);
  console.log(
    `one ticket: plain ${JSON.stringify(plain)} in ${plainMs} ms, streamed ${JSON.stringify(streamed)} in ${streamedMs} ms`,
  );
  return { sequentialMs, boundedMs, sequential, bounded };
}
