/**
 * What Run does: streams a structured review and logs every preview your `parsePartialJson` makes of
 * the arguments so far, then the final object. Watch the fields fill in, one piece at a time.
 */
import { streamReview } from './starter.ts';

export default async function run() {
  let previews = 0;
  const review = await streamReview('the Aeropress coffee maker', (partial) => {
    previews++;
    console.log(JSON.stringify(partial));
  });
  console.log(`${previews} previews, then the complete review:`);
  console.log(JSON.stringify(review, null, 2));
  return review;
}
