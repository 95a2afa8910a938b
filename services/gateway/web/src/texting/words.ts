// What the messaging service's codes mean, in the words a staffer reads.
import { fullTime, timeIn } from "../format/time";

const SKIP_WORDS: Record<string, string> = {
  not_cell: "not a cell phone",
  wrong_number: "marked Wrong Number",
  dnc: "marked Do Not Contact",
  opted_out: "opted out of texts",
  unreachable: "the number cannot be reached",
  contact_deleted: "the contact was deleted",
  phone_removed: "the phone was removed",
  number_changed: "the number changed",
  contact_not_found: "the contact was not found",
};

export function skipWords(reason: string): string {
  return SKIP_WORDS[reason] ?? reason.replaceAll("_", " ");
}

const HOLD_WORDS: Record<string, string> = {
  quiet_hours: "quiet hours there",
  opt_out_review: "a possible opt-out is being reviewed",
  sender_rate: "your number's sending rate",
};

type Delivery = {
  status: string;
  failure_reason?: string | null;
  skip_reason?: string | null;
  hold_reason?: string | null;
  hold_zone?: string | null;
  release_at?: string | null;
};

export type Tick = "queued" | "sent" | "delivered" | "failed" | "held";

/** "until 8:00 AM their time (America/Chicago), Monday, December 7 at 2:00 PM yours" */
function heldUntil(message: Delivery): string {
  if (!message.release_at) return "";
  const yours = fullTime(message.release_at);
  if (!message.hold_zone) return ` until ${yours}`;
  return ` until ${timeIn(message.release_at, message.hold_zone)} their time (${message.hold_zone}), ${yours} yours`;
}

/** The tick shown beside an outbound text and its meaning in words. */
export function deliveryOf(message: Delivery): { tick: Tick; words: string } {
  if (message.hold_reason && !["sent", "delivered", "failed", "undelivered", "skipped", "cancelled"].includes(message.status)) {
    return { tick: "held", words: `Held: ${HOLD_WORDS[message.hold_reason] ?? message.hold_reason}${heldUntil(message)}` };
  }
  switch (message.status) {
    case "delivered":
      return { tick: "delivered", words: "Delivered" };
    case "sent":
      return { tick: "sent", words: "Sent" };
    case "failed":
    case "undelivered":
      return { tick: "failed", words: `Not delivered: ${message.failure_reason ?? "the carrier gave no reason"}` };
    case "skipped":
      return { tick: "failed", words: `Not sent: ${message.skip_reason ? skipWords(message.skip_reason) : "it could not be sent"}` };
    case "cancelled":
      return { tick: "failed", words: "Cancelled before it was sent" };
    case "waiting_for_number":
      return { tick: "queued", words: "Queued: waiting for your texting number" };
    default:
      return { tick: "queued", words: "Queued" };
  }
}

export const FINAL_STATUSES = new Set(["delivered", "failed", "undelivered", "skipped", "cancelled"]);
