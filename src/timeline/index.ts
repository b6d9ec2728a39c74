/** The timeline's pure core: runs -> lanes, marks, bands, figures; zoom math; run files; read cutting. */
export { TimelineBuilder, buildTimeline, isCompleteJson } from './model.ts';
export type * from './types.ts';
export { interpretEvent, sniffProvider, summarizeEvent, type Signal } from './interpret.ts';
export { figureItems, formatMs, type FigureItem } from './figures.ts';
export * from './scale.ts';
export { exportRun, exportFileName, importRun, RunImportError, runRecordingSchema } from './io.ts';
export {
  splitIntoReads,
  eventBoundaries,
  seededRandom,
  ReadScanner,
  SPLIT_MODES,
  type SplitMode,
} from './split.ts';
export { describeBytes, previewBytes, fromBase64, toBase64, type ByteSegment } from './bytes.ts';
