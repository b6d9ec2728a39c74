/**
 * A grader kept warm for the mutation bench: Stryker starts one process per mutant, and a process that
 * loads the grader spends more time starting than grading (about 2.6 s against 1 s a submission). The
 * suite starts this server on a free loopback port; `grade-mutant.ts` posts each mutant's code to it.
 * `POST /grade {lab, code, file}` answers `{ passed, lines }`, one submission at a time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatRecording, gradeFile } from '../../../../src/lab/grade/cli.ts';
import { loadLab } from '../../../../src/lab/grade/load.ts';
import type { LabBundle } from '../../../../src/lab/catalog.ts';

export interface GradeRequest {
  lab: string;
  code: string;
  file: string;
}

export interface GradeAnswer {
  passed: boolean;
  lines: string[];
}

export interface RunningGrader {
  url: string;
  close(): Promise<void>;
}

async function readBody(request: AsyncIterable<Buffer>): Promise<GradeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<GradeRequest>;
  if (typeof body.lab !== 'string' || typeof body.code !== 'string' || typeof body.file !== 'string') {
    throw new Error('expected a JSON body {lab, code, file} of strings');
  }
  return body as GradeRequest;
}

export async function startGrader(): Promise<RunningGrader> {
  const labs = new Map<string, Promise<LabBundle>>();
  const lab = (id: string): Promise<LabBundle> => {
    let bundle = labs.get(id);
    if (!bundle) labs.set(id, (bundle = loadLab(id)));
    return bundle;
  };
  const server: Server = createServer((request, response) => {
    const answer = async (): Promise<GradeAnswer> => {
      if (request.method !== 'POST' || request.url !== '/grade') throw new Error('only POST /grade');
      const body = await readBody(request);
      // Stryker kills the command of a mutant that hangs: stop its run too, so it takes no CPU from the next.
      const gone = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) gone.abort();
      });
      const bundle = await lab(body.lab);
      return formatRecording(await gradeFile(bundle, body.code, body.file, { signal: gone.signal }));
    };
    answer().then(
      (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: unknown) => response.writeHead(400).end(`grader: ${(error as Error).message}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/grade`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
