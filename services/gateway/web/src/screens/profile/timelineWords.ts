// A contact's timeline in words, with who did each thing by name, never by id.
import { formatPhone } from "../../format/phone";
import type { Contact } from "../../tags/useTagShortcut";

export type TimelineEntry = Contact["timeline"][number];

export type Context = {
  /** The name of the account's user with this id, if the users list has it. */
  userName: (userId: string) => string | undefined;
  /** The contact's phone with this id, formatted, if it is still theirs. */
  phoneLabel: (phoneId: string) => string | undefined;
  /** The text of a reply, once it has been read from the messaging service. */
  replyBody?: string;
};

const SOURCE_WORDS: Record<string, string> = {
  keyword: "the person",
  carrier: "the carrier",
  import: "an import",
  system: "the system",
};

const FIELD_WORDS: Record<string, string> = {
  first_name: "first name", last_name: "last name", emails: "emails", address: "address", phones: "phones",
  custom_fields: "custom fields", notes: "notes", owner_user_id: "owner", tags: "tags",
};

const CALL_OUTCOMES: Record<string, string> = {
  completed: "answered", busy: "busy", "no-answer": "no answer", failed: "did not connect", canceled: "cancelled",
};

const ASSIGN_REASONS: Record<string, string> = { owner_deactivated: "its user was deactivated" };

function actorOf(entry: TimelineEntry, context: Context): string {
  if (entry.by_user_id) return context.userName(entry.by_user_id) ?? "a former user";
  return SOURCE_WORDS[entry.source] ?? "the system";
}

function list(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

function durationWords(seconds: unknown): string {
  if (typeof seconds !== "number" || seconds <= 0) return "";
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

export function describeEntry(entry: TimelineEntry, context: Context): string {
  const detail = entry.detail as Record<string, unknown>;
  const by = actorOf(entry, context);
  const phone = typeof detail.phone_id === "string" ? context.phoneLabel(detail.phone_id) ?? "a phone since removed" : undefined;
  const tag = String(detail.tag ?? "");
  switch (entry.kind) {
    case "created":
      return entry.source === "import" ? "Added by an import" : `Added by ${by}`;
    case "deleted":
      return `Deleted by ${by}`;
    case "edited": {
      const renamed = detail.renamed_tag as { from?: string; to?: string } | undefined;
      if (renamed) return `Tag ${renamed.from} renamed ${renamed.to} by ${by}`;
      const fields = (Array.isArray(detail.fields) ? detail.fields : []).map((field) => FIELD_WORDS[String(field)] ?? String(field).replaceAll("_", " "));
      return detail.by_import ? `${list(fields)} updated by an import` : `${by} changed ${list(fields) || "the profile"}`;
    }
    case "tagged":
      if (tag === "Wrong Number") return `Marked Wrong Number by ${by}${phone ? ` for ${phone}` : ""}`;
      if (tag === "Do Not Contact") return `Marked Do Not Contact by ${by}`;
      if (tag === "Opt-In") return `Marked Opt-In by ${by}${phone ? ` for ${phone}` : ""}`;
      return `Tagged ${tag} by ${by}`;
    case "untagged":
      if (tag === "Wrong Number") return `Wrong Number taken off${phone ? ` ${phone}` : ""} by ${by}`;
      if (tag === "Do Not Contact") return `Do Not Contact taken off by ${by}`;
      if (tag === "Opt-In") return `Opt-In taken off${phone ? ` ${phone}` : ""} by ${by}`;
      return `Tag ${tag} taken off by ${by}`;
    case "opted_in":
      if (entry.source === "keyword") return `Opted in by replying ${detail.keyword ?? "START"}`;
      return `Opt-In recorded by ${by}${detail.method ? ` (${detail.method})` : ""}${phone ? ` for ${phone}` : ""}`;
    case "opted_out":
      return optedOutWords(entry, detail, by);
    case "texted": {
      const to = detail.to_number ? formatPhone(String(detail.to_number)) : phone ?? "them";
      return entry.by_user_id ? `${by} texted ${to}` : `Texted ${to} automatically`;
    }
    case "replied":
      return context.replyBody !== undefined ? `Replied: ${context.replyBody}` : "Replied";
    case "called": {
      const outcome = CALL_OUTCOMES[String(detail.outcome)] ?? "";
      const extras = [outcome, durationWords(detail.duration_seconds)].filter(Boolean).join(", ");
      const what = detail.direction === "inbound" ? `Called in${phone ? ` from ${phone}` : ""}` : `${by} called${phone ? ` ${phone}` : ""}`;
      return extras ? `${what} (${extras})` : what;
    }
    case "assigned": {
      const to = typeof detail.assigned_user_id === "string" ? context.userName(detail.assigned_user_id) ?? "a former user" : "nobody";
      const reason = ASSIGN_REASONS[String(detail.reason)] ?? "";
      if (detail.reason === "claimed") return `Conversation claimed by ${by}`;
      return `Conversation given to ${to}${entry.by_user_id ? ` by ${by}` : ""}${reason ? ` (${reason})` : ""}`;
    }
    default:
      return `${entry.kind.replaceAll("_", " ").replace(/^./, (first) => first.toUpperCase())} by ${by}`;
  }
}

function optedOutWords(entry: TimelineEntry, detail: Record<string, unknown>, by: string): string {
  const keyword = typeof detail.keyword === "string" ? detail.keyword : undefined;
  if (entry.source === "carrier") return "Opted out at the carrier: it refuses texts to this number";
  if (entry.source === "import") return "Opted out by an import";
  if (entry.source === "keyword") {
    if (keyword === "REVIEWED REPLY") return "Opted out: a reply was reviewed as asking to stop";
    if (keyword?.startsWith("REPLY UNREVIEWED")) return "Opted out: a reply that may ask to stop was not reviewed in 10 business days";
    return `Opted out by replying ${keyword ?? "STOP"}`;
  }
  return `Opted out by ${by}`;
}
