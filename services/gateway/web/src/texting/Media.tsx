// A text's attachments; fetched with the bearer token, since an <img src> cannot send it.
import { useEffect, useState } from "react";
import { session } from "../session/token";
import type { Media } from "./queries";

function useObjectUrl(url: string): string | null | "failed" {
  const [objectUrl, setObjectUrl] = useState<string | null | "failed">(null);
  useEffect(() => {
    let revoked = false;
    let made: string | null = null;
    fetch(url, { headers: { Authorization: `Bearer ${session.token() ?? ""}` } })
      .then((answer) => (answer.ok ? answer.blob() : Promise.reject(new Error(String(answer.status)))))
      .then((blob) => {
        if (revoked) return;
        made = URL.createObjectURL(blob);
        setObjectUrl(made);
      })
      .catch(() => !revoked && setObjectUrl("failed"));
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return objectUrl;
}

function Attachment({ media }: { media: Media }) {
  const src = useObjectUrl(media.url);
  const label = `Attached ${media.content_type.replace("image/", "")} image, ${Math.max(1, Math.round(media.size / 1024))} KB`;
  if (src === "failed") return <span className="attachment muted">{label} (could not be loaded)</span>;
  if (!src) return <span className="attachment skeleton" role="img" aria-label={`${label}, loading`} />;
  return (
    <a className="attachment" href={src} target="_blank" rel="noreferrer">
      <img src={src} alt={label} />
    </a>
  );
}

export function MediaList({ media }: { media: Media[] | undefined }) {
  if (!media?.length) return null;
  return (
    <span className="attachments">
      {media.map((item) => <Attachment key={item.media_id} media={item} />)}
    </span>
  );
}
