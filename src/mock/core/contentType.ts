/**
 * The content-type a JSON API route accepts. The SDKs send `application/json`; a body sent with no
 * content-type, or with `text/plain` (what `fetch` declares for a string body when the code set no header
 * at all), is read as JSON too, since it says nothing else. Any other declared type, such as the
 * `application/x-www-form-urlencoded` that `curl -d` sends without `-H 'content-type: application/json'`,
 * is refused with 415 and a message naming what came and what is expected, instead of a 400 about JSON.
 */
import { clip } from './clip.ts';

/** Media types read as JSON: `application/json`, any `+json` type, and the two "said nothing" cases. */
function acceptable(mediaType: string): boolean {
  return (
    mediaType === '' ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'text/plain'
  );
}

/** Why a JSON route refuses a body declared as `header` (a 415 message), or undefined if it accepts it. */
export function contentTypeProblem(header: string | null): string | undefined {
  if (header === null) return undefined;
  const mediaType = header.split(';')[0]!.trim().toLowerCase();
  if (acceptable(mediaType)) return undefined;
  const curl = mediaType === 'application/x-www-form-urlencoded';
  return `The request body was sent as content-type: ${clip(header.trim())}; this endpoint takes JSON, sent as content-type: application/json.${curl ? " (curl -d sends form data unless you add -H 'content-type: application/json'.)" : ''}`;
}
