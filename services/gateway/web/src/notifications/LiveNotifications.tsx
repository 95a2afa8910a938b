// The live stream (SSE, opened with a single-use ticket since EventSource cannot send headers),
// the bell's count kept current from it, and a toast for each reply that opens its conversation.
import * as Toast from "@radix-ui/react-toast";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import { api } from "../api/client";
import { isBuilt } from "../app/routes";
import { showDesktopAlert } from "./desktop";
import { subjectOf } from "./queries";

type Pushed = { id: string; kind: string; title: string; body: string; link: Record<string, string> };
type Shown = { id: string; title: string; body: string; subject: string | null };
const RECONNECT_MS = 3000;

async function contactName(contactId: string | undefined): Promise<string | null> {
  if (!contactId) return null;
  const { data } = await api.GET("/api/contacts/{contact_id}", { params: { path: { contact_id: contactId } } });
  return data ? `${data.first_name} ${data.last_name}`.trim() || null : null;
}

async function toastFor(pushed: Pushed): Promise<Shown> {
  const subject = subjectOf(pushed.link, pushed.kind);
  const shown = { id: pushed.id, title: pushed.title, body: pushed.body, subject: subject && isBuilt(subject) ? subject : null };
  if (pushed.kind !== "message_received") return shown;
  const name = await contactName(pushed.link.contact_id).catch(() => null);
  return name ? { ...shown, title: `${name}: ${pushed.body}`, body: "" } : shown;
}

function useStream(onNotification: (pushed: Pushed) => void) {
  useEffect(() => {
    let stream: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    async function connect() {
      const { data } = await api.POST("/api/notifications/stream-tickets").catch(() => ({ data: undefined }));
      if (stopped) return;
      if (!data) {
        retry = setTimeout(connect, RECONNECT_MS);
        return;
      }
      stream = new EventSource(`/api/notifications/stream?ticket=${encodeURIComponent(data.ticket)}`);
      stream.addEventListener("notification", (event) => onNotification(JSON.parse((event as MessageEvent).data)));
      stream.onerror = () => {
        // A ticket opens the stream once: reconnect with a new one rather than EventSource's own retry.
        stream?.close();
        if (!stopped) retry = setTimeout(connect, RECONNECT_MS);
      };
    }
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      stream?.close();
    };
  }, [onNotification]);
}

export function LiveNotifications({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [toasts, setToasts] = useState<Shown[]>([]);
  const [onNotification] = useState(() => async (pushed: Pushed) => {
    client.invalidateQueries({ queryKey: ["notifications"] });
    client.invalidateQueries({ queryKey: ["conversations"] });
    if (pushed.link.number_id) client.invalidateQueries({ queryKey: ["numbers"] });
    const shown = await toastFor(pushed);
    setToasts((current) => [...current, shown]);
    showDesktopAlert(shown, () => shown.subject && navigate(shown.subject));
  });
  useStream(onNotification);
  const dismiss = (id: string) => setToasts((current) => current.filter((toast) => toast.id !== id));

  return (
    <Toast.Provider duration={8000} swipeDirection="right">
      {children}
      {toasts.map((toast) => (
        <Toast.Root key={toast.id} className="toast" onOpenChange={(open) => !open && dismiss(toast.id)}>
          <Toast.Title className="toast-title">
            {toast.subject ? (
              <button type="button" className="toast-open" onClick={() => { dismiss(toast.id); navigate(toast.subject!); }}>
                {toast.title}
              </button>
            ) : (
              toast.title
            )}
          </Toast.Title>
          {toast.body && <Toast.Description>{toast.body}</Toast.Description>}
          <Toast.Close className="toast-close" aria-label="Dismiss">×</Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" />
    </Toast.Provider>
  );
}
