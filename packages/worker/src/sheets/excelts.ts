/**
 * The parts of @cj-tech-master/excelts the Worker uses, in one module that `xlsx.ts` imports on first use. Named
 * re-exports (not `import('@cj-tech-master/excelts')` itself) keep the deploy bundle tree-shaken to these.
 */
export { Workbook, WorkbookWriter } from '@cj-tech-master/excelts';
export { unzip } from '@cj-tech-master/excelts/archive';
