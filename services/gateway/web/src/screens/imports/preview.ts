// The file's first rows, read in the browser (the API stores the file and names its columns,
// but does not show its rows), and its row count for the progress bar.
import Papa from "papaparse";

export const PREVIEW_ROWS = 3;

export type Preview = { header: string[]; rows: string[][] };

type Source = File | string;

/** The header and the first `count` data rows; blank lines are skipped, as the import does. */
export function previewRows(source: Source, count = PREVIEW_ROWS): Promise<Preview> {
  return new Promise((resolve, reject) => {
    const records: string[][] = [];
    Papa.parse<string[]>(source as File, {
      skipEmptyLines: "greedy",
      step: (result, parser) => {
        records.push(result.data);
        if (records.length > count) parser.abort();
      },
      complete: () => resolve({ header: records[0] ?? [], rows: records.slice(1) }),
      error: (error: Error) => reject(error),
    });
  });
}

/** How many data rows the file has (streamed: a large file is read in chunks). */
export function countRows(source: Source): Promise<number> {
  return new Promise((resolve, reject) => {
    let records = 0;
    Papa.parse<string[]>(source as File, {
      skipEmptyLines: "greedy",
      step: () => {
        records += 1;
      },
      complete: () => resolve(Math.max(0, records - 1)),
      error: (error: Error) => reject(error),
    });
  });
}

/** The preview's values under each of the job's columns (the API's header is the truth). */
export function samplesByColumn(columns: string[], preview: Preview | null | undefined): Record<string, string[]> {
  const samples: Record<string, string[]> = {};
  columns.forEach((column, index) => {
    const position = preview?.header.indexOf(column) ?? -1;
    const at = position >= 0 ? position : index;
    samples[column] = (preview?.rows ?? []).map((row) => row[at] ?? "");
  });
  return samples;
}
