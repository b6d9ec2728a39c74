/**
 * Hands Stryker's active mutant to instrumented code that cannot see the host's environment: a first
 * statement that sets `globalThis.__stryker__.activeMutant`, which Stryker's own header keeps when it is
 * already set. It goes on the first line, so every line keeps its number.
 */
export function activateMutant(code: string, mutantId: string | undefined): string {
  if (mutantId === undefined || mutantId === '') return code;
  if (!/^\d+$/.test(mutantId)) throw new Error(`__STRYKER_ACTIVE_MUTANT__ is not a mutant id: '${mutantId}'`);
  return `globalThis.__stryker__ = { activeMutant: ${JSON.stringify(mutantId)} }; ${code}`;
}
