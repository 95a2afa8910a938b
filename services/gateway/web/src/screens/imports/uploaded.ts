// What the browser knows of a file it has just uploaded: its first rows and its row count.
// Kept for the session (a reload keeps the preview and the progress bar's total) and
// shared through the query cache, so the count can arrive after the screen has opened.
import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { Preview } from "./preview";

export type UploadedFile = { preview?: Preview; totalRows?: number };

const KEY = "import-file:";
const queryKey = (importId: string) => ["import-file", importId];

export function recallFile(importId: string): UploadedFile {
  try {
    return JSON.parse(sessionStorage.getItem(KEY + importId) ?? "{}") as UploadedFile;
  } catch {
    return {};
  }
}

export function rememberFile(client: QueryClient, importId: string, facts: UploadedFile): void {
  const known = { ...recallFile(importId), ...facts };
  try {
    sessionStorage.setItem(KEY + importId, JSON.stringify(known));
  } catch {
    // Storage full or refused: the screens do without the preview and the total after a reload.
  }
  client.setQueryData(queryKey(importId), known);
}

export function useUploadedFile(importId: string): UploadedFile {
  return useQuery({ queryKey: queryKey(importId), queryFn: () => recallFile(importId), staleTime: Infinity }).data ?? {};
}
