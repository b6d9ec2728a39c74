export {};

/**
 * `curl` for Node mode's terminal: WebContainers' shell has no curl, so the container gets this small one
 * (`.streamlab/bin/curl`). It covers what the lessons use: `-N` (print the body as it arrives; always on
 * here), `-s`, `-i`, `-X METHOD`, `-H 'name: value'`, `-d DATA` (POST, JSON content type unless set).
 */
function usage(): never {
  process.stderr.write('usage: curl [-N] [-s] [-i] [-X METHOD] [-H header]... [-d data] URL\n');
  process.exit(2);
}

const args = process.argv.slice(2);
let method: string | undefined;
let body: string | undefined;
let include = false;
let url: string | undefined;
const headers = new Headers();
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  const next = (): string => args[++i] ?? usage();
  if (arg === '-N' || arg === '--no-buffer' || arg === '-s' || arg === '--silent') continue;
  else if (arg === '-i' || arg === '--include') include = true;
  else if (arg === '-X' || arg === '--request') method = next();
  else if (arg === '-H' || arg === '--header') {
    const [name, ...value] = next().split(':');
    if (!name) usage();
    headers.append(name.trim(), value.join(':').trim());
  } else if (arg === '-d' || arg === '--data' || arg === '--data-raw') body = next();
  else if (arg.startsWith('-')) {
    process.stderr.write(`curl: option ${arg} is not supported here\n`);
    process.exit(2);
  } else url = arg;
}
if (!url) usage();
if (body !== undefined && !headers.has('content-type'))
  headers.set('content-type', 'application/json');

try {
  const response = await fetch(url, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  if (include) {
    process.stdout.write(`HTTP/1.1 ${response.status} ${response.statusText}\n`);
    response.headers.forEach((value, name) => process.stdout.write(`${name}: ${value}\n`));
    process.stdout.write('\n');
  }
  if (response.body) {
    const decoder = new TextDecoder();
    for await (const chunk of response.body)
      process.stdout.write(decoder.decode(chunk, { stream: true }));
  }
} catch (error) {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  process.stderr.write(`curl: ${cause ?? (error as Error).message} (${url})\n`);
  process.exitCode = 7;
}
