// A conversation as the inbox names it: the contact's name, or the formatted number of a sender
// who matches no contact; who holds it, in words.
import { formatPhone } from "../../format/phone";

type Listed = {
  contact_id?: string | null;
  their_number: string;
  assigned_user_id?: string | null;
  unassigned?: boolean;
  last_message?: { direction: string; body: string } | null;
};

export function conversationTitle(conversation: Listed, names: Map<string, string>): string {
  const name = conversation.contact_id ? names.get(conversation.contact_id) : undefined;
  return name ?? formatPhone(conversation.their_number);
}

export function lastMessageLine(conversation: Listed): string {
  const last = conversation.last_message;
  if (!last) return "No messages yet";
  return last.direction === "inbound" ? last.body : `You: ${last.body}`;
}

export function assignmentWords(conversation: Listed, meId: string, names: Map<string, string>): string {
  const holder = conversation.assigned_user_id;
  if (!holder) return "Unassigned";
  const who = holder === meId ? "you" : (names.get(holder) ?? "another user");
  // A reply left unopened past the account's timeout frees the thread for anyone to claim.
  if (conversation.unassigned) return `Free to claim (a reply waited too long on ${who})`;
  return `Assigned to ${who}`;
}
