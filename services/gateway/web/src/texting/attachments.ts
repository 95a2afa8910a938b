// Images chosen for the next text: checked here first (type, how many, how big together) so a
// refusal is said before anything is sent, then each uploaded at once to POST /api/media.
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { unwrap } from "../api/problems";
import type { Media } from "./queries";

export const MEDIA_TYPES = ["image/jpeg", "image/png", "image/gif"] as const;
export const MAX_MEDIA = 10;
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

export type Attachment = {
  localId: string;
  name: string;
  size: number;
  previewUrl: string;
  media?: Media;
  error?: string;
};

export function sizeWords(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Which of the chosen files may be attached, and the reasons, in words, for those that may not. */
export function checkFiles(files: File[], attached: { size: number }[]): { accepted: File[]; refusals: string[] } {
  const accepted: File[] = [];
  const refusals: string[] = [];
  let count = attached.length;
  let total = attached.reduce((sum, item) => sum + item.size, 0);
  for (const file of files) {
    if (!(MEDIA_TYPES as readonly string[]).includes(file.type)) {
      refusals.push(`${file.name} is not a JPEG, PNG or GIF image, so it cannot be attached.`);
    } else if (count >= MAX_MEDIA) {
      refusals.push(`${file.name} was not attached: a text may carry at most ${MAX_MEDIA} images.`);
    } else if (total + file.size > MAX_MEDIA_BYTES) {
      refusals.push(`${file.name} (${sizeWords(file.size)}) was not attached: a text's images may be at most 5 MB together.`);
    } else {
      accepted.push(file);
      count += 1;
      total += file.size;
    }
  }
  return { accepted, refusals };
}

function upload(file: File): Promise<Media> {
  return unwrap(
    api.POST("/api/media", {
      // The raw bytes are the whole request body.
      body: file as unknown as string,
      bodySerializer: (body: unknown) => body as Blob,
      headers: { "Content-Type": file.type },
    }),
  ) as Promise<Media>;
}

export function useAttachments() {
  const [items, setItems] = useState<Attachment[]>([]);
  const [refusals, setRefusals] = useState<string[]>([]);
  const live = useRef(items);
  live.current = items;

  // Object URLs live as long as their thumbnail.
  useEffect(() => () => live.current.forEach((item) => URL.revokeObjectURL(item.previewUrl)), []);

  function update(localId: string, change: Partial<Attachment>) {
    setItems((current) => current.map((item) => (item.localId === localId ? { ...item, ...change } : item)));
  }

  function add(files: File[]) {
    const kept = live.current.filter((item) => !item.error);
    const { accepted, refusals: refused } = checkFiles(files, kept);
    setRefusals(refused);
    const added = accepted.map((file) => ({
      localId: crypto.randomUUID(), name: file.name, size: file.size, previewUrl: URL.createObjectURL(file), file,
    }));
    setItems((current) => [...current, ...added.map(({ file: _file, ...item }) => item)]);
    for (const { localId, file } of added) {
      upload(file).then(
        (media) => update(localId, { media }),
        (error: Error) => update(localId, { error: `${file.name} could not be uploaded: ${error.message}` }),
      );
    }
  }

  function remove(localId: string) {
    const gone = live.current.find((item) => item.localId === localId);
    if (gone) URL.revokeObjectURL(gone.previewUrl);
    setItems((current) => current.filter((item) => item.localId !== localId));
  }

  function clear() {
    live.current.forEach((item) => URL.revokeObjectURL(item.previewUrl));
    setItems([]);
    setRefusals([]);
  }

  const ready = items.filter((item) => item.media).map((item) => item.media!.media_id);
  const uploading = items.some((item) => !item.media && !item.error);
  return { items, refusals, ready, uploading, add, remove, clear };
}
