import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { ApiProblem, unwrap } from "../../api/problems";
import { session } from "../../session/token";
import type { ImportOptions } from "./mapping";
import { isUnderway, type ImportJob } from "./progress";

// No import events reach the browser: ask again gently while a job is underway.
const UNDERWAY_REFRESH_MS = 1000;
const LIST_REFRESH_MS = 3000;

export function useImports() {
  return useQuery({
    queryKey: ["imports"],
    queryFn: () => unwrap(api.GET("/api/imports")),
    refetchInterval: (query) => (query.state.data?.some(isUnderway) ? LIST_REFRESH_MS : false),
  });
}

export function useImport(importId: string) {
  return useQuery({
    queryKey: ["imports", importId],
    queryFn: () => unwrap(api.GET("/api/imports/{import_id}", { params: { path: { import_id: importId } } })),
    refetchInterval: (query) => (query.state.data && isUnderway(query.state.data) ? UNDERWAY_REFRESH_MS : false),
    retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 1,
  });
}

export function useUpload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST("/api/imports", {
          params: { query: { filename: file.name.slice(0, 200) } },
          // The body is the file itself, streamed as it is.
          body: file as never,
          bodySerializer: (body: unknown) => body as BodyInit,
          headers: { "Content-Type": "text/csv" },
        }),
      ),
    onSuccess: (job) => {
      client.setQueryData(["imports", job.id], job);
      client.invalidateQueries({ queryKey: ["imports"], exact: true });
    },
  });
}

export function useStart(importId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (options: ImportOptions) =>
      unwrap(api.POST("/api/imports/{import_id}/start", { params: { path: { import_id: importId } }, body: options })),
    onSuccess: (job: ImportJob) => {
      client.setQueryData(["imports", importId], job);
      client.invalidateQueries({ queryKey: ["imports"], exact: true });
    },
  });
}

/** Saves the import's error report (the rows that did not land) as a CSV file. */
export async function downloadErrorReport(job: Pick<ImportJob, "id" | "filename">): Promise<void> {
  const response = await fetch(`/api/imports/${encodeURIComponent(job.id)}/errors.csv`, {
    headers: { Authorization: `Bearer ${session.token() ?? ""}` },
  });
  if (!response.ok) throw new ApiProblem(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `${job.filename.replace(/\.csv$/i, "")}-errors.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
