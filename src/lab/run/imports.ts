/**
 * The modules lab code may import, in one list that both the sandbox (`builtins.ts`, `modules.ts`) and the
 * editor's type service (`src/node/editorTypes.ts`) read, so the editor never underlines an import that
 * runs, nor accepts one the sandbox refuses.
 */

/** Specifiers with a module of their own in the sandbox. */
export const LAB_MODULES = [
  'openai',
  '@anthropic-ai/sdk',
  'eventsource-parser',
  'eventsource-parser/stream',
  // Structured output (lesson 7): the SDKs' helpers turn a zod schema into `response_format`.
  'zod',
  'openai/helpers/zod',
  '@anthropic-ai/sdk/helpers/zod',
] as const;

export type LabModule = (typeof LAB_MODULES)[number];

/** Packages whose other subpaths (`openai/resources/chat/completions`) resolve to the package itself. */
const SUBPATH_PACKAGES = ['openai', '@anthropic-ai/sdk', 'eventsource-parser', 'zod'] as const;

/**
 * The sandbox module a specifier means: itself when it has one, else the package root for a subpath of a
 * known package. The SDKs' subpaths hold types (erased when compiled) and classes the root also exports;
 * what a lesson imports at run time from a subpath (`EventSourceParserStream`) has its own entry above.
 */
export function labModuleFor(specifier: string): string {
  if ((LAB_MODULES as readonly string[]).includes(specifier)) return specifier;
  const owner = SUBPATH_PACKAGES.find((name) => specifier.startsWith(name + '/'));
  return owner ?? specifier;
}
