/**
 * The files Ponder keeps between runs to avoid repeating work (content analyses, pack data,
 * token piece counts, the sorted vocabulary): where they live, how they are written, and the
 * sorted-lines format they are searched in. Other parts import only from here.
 */
export { cacheDir, ensureFolderOf, writeAtomically, appendToCacheFile } from './files';
export { lookupSorted, sortedLines, asciiJson } from './sortedLines';
export { AnalysisCache, ANALYSIS_VERSION, type Analysis, type PackData } from './analysisCache';
