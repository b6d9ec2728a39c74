/** Served by the `streamlab-editor-types` Vite plugin (`src/node/editorTypes.ts`). */
declare module 'virtual:streamlab/editor-types' {
  const files: Record<string, string>;
  export default files;
}
