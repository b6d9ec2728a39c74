/** OpenAI's stream obfuscation: padding on delta events that evens out their sizes. */
import { hashString } from '../prng.ts';

/**
 * Random-looking padding for a delta event (on by default, off with
 * `stream_options.include_obfuscation: false`), deterministic per reply and event.
 */
export function obfuscation(planId: string, seq: number, deltaLength: number): string {
  let h = hashString(`${planId}:${seq}`);
  const n = Math.max(1, 16 - Math.min(deltaLength, 15));
  let out = '';
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    out += ALNUM[h % ALNUM.length];
  }
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
