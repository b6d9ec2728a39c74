/**
 * `npm run mock` inside a WebContainer (Node mode): the same CLI as `streamlab mock` on a laptop, bundled
 * into one file at build time (`src/node/containerPrograms.ts`).
 */
import { main } from '../../mock/node/cli.ts';

process.exitCode = await main(process.argv.slice(2));
