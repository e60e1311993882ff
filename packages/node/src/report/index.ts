export { reportHtml, reportScript, scriptSafeJson } from './html.ts';
export { reportMarkdown, terminalSummary } from './markdown.ts';
export { folderTrials, writeTables } from './tables.ts';
export { analyzeOutDir, REPORT_FILES, type ReportOptions, writeReport } from './write-report.ts';
