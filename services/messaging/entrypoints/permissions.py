"""Who may call each route of the messaging service (checked by the gate its router runs)."""

from fastapi import HTTPException

from services.messaging.adapters.contacts_directory import ContactsDirectory
from shared.caller import Caller
from shared.permissions import MANAGERS, SYSTEM, USERS, PermissionMatrix, Rule

CONVERSATION = "/v1/conversations/{conversation_id}"
BULK_SEND = "/v1/bulk-sends/{job_id}"
SCHEDULED_SEND = "/v1/scheduled-sends/{scheduled_send_id}"

MATRIX = PermissionMatrix([
    Rule("POST", "/v1/messages/preview", USERS, "preview a text's encoding, segments and cost"),
    Rule("GET", "/v1/messages/settings", USERS, "read the account's texting settings"),
    Rule("GET", "/v1/messages/limits", USERS, "see the account's sending limits and what is used of them"),
    Rule(
        "PUT", "/v1/messages/settings", MANAGERS,
        "change the account's texting settings (quiet hours, opt-out scope, STOP/HELP replies)",
    ),
    Rule("POST", "/v1/messages", USERS, "text a contact"),
    Rule("GET", "/v1/messages/{message_id}", USERS, "read a text and its delivery states"),
    Rule(
        "POST", "/v1/bulk-sends", USERS, "start a bulk send",
        note="a texter's reaches at most 500 contacts, ticked or all matching; MESSAGING_TEXTER_BULK_SEND_MAX_CONTACTS sets it",
    ),
    Rule(
        "POST", "/v1/bulk-sends/preview", USERS, "see who a bulk send would text and why others would be skipped",
        note="a texter's is refused past the bulk-send size a texter may send",
    ),
    Rule("GET", BULK_SEND, USERS, "follow a bulk send"),
    Rule("POST", f"{BULK_SEND}/cancel", USERS, "cancel a bulk send", note="a texter cancels only their own"),
    Rule("GET", "/v1/conversations", USERS, "list conversations"),
    Rule("GET", CONVERSATION, USERS, "read a conversation"),
    Rule("GET", f"{CONVERSATION}/messages", USERS, "read a conversation's texts"),
    Rule("POST", f"{CONVERSATION}/read", USERS, "mark a conversation read"),
    Rule("POST", f"{CONVERSATION}/claim", USERS, "claim an unassigned conversation"),
    Rule("POST", f"{CONVERSATION}/assign", MANAGERS, "assign a conversation to a user of the account"),
    Rule("GET", f"{CONVERSATION}/review-items", USERS, "list a conversation's review items"),
    Rule("POST", f"{CONVERSATION}/review-items/{{review_item_id}}", USERS, "decide a review item (opt out, wrong number)"),
    Rule("GET", "/v1/canned-replies", USERS, "list canned replies"),
    Rule("POST", "/v1/canned-replies", USERS, "save a canned reply", note="shared ones: only an owner or an admin"),
    Rule("GET", "/v1/canned-replies/{canned_reply_id}", USERS, "read a canned reply"),
    Rule("PATCH", "/v1/canned-replies/{canned_reply_id}", USERS, "edit a canned reply", note="shared ones: only an owner or an admin"),
    Rule("DELETE", "/v1/canned-replies/{canned_reply_id}", USERS, "delete a canned reply", note="shared ones: only an owner or an admin"),
    Rule("GET", "/v1/scheduled-sends", USERS, "list scheduled sends", note="a texter sees their own"),
    Rule("POST", "/v1/scheduled-sends", USERS, "schedule a text or a bulk send for a later time"),
    Rule("GET", SCHEDULED_SEND, USERS, "read a scheduled send", note="a texter reads only their own"),
    Rule("PATCH", SCHEDULED_SEND, USERS, "change a scheduled send's text or time before it starts", note="a texter changes only their own"),
    Rule("POST", f"{SCHEDULED_SEND}/cancel", USERS, "cancel a scheduled send before it starts", note="a texter cancels only their own"),
    Rule("POST", "/v1/media", USERS, "upload an image (JPEG, PNG or GIF) to send with texts"),
    Rule("GET", "/v1/media/{media_id}", USERS, "read an image's type and size"),
    Rule("GET", "/v1/media/{media_id}/content", USERS, "see an image sent or received in a text"),
    Rule("GET", "/v1/media-links/{token}", SYSTEM, "serve a text's image to the carrier through its signed link"),
    Rule("POST", "/v1/webhooks/status", SYSTEM, "apply a carrier's status callback"),
    Rule("POST", "/v1/webhooks/inbound", SYSTEM, "take in a received text"),
])


async def check_texter_bulk_size(
    caller: Caller, *, contact_ids: list[str] | None, selection_filter: dict | None, directory: ContactsDirectory, most: int
) -> None:
    """A texter texts the people they picked, not the whole account: a larger bulk send is an owner's
    or admin's (403 before anything is written)."""
    if caller.role != "texter":
        return
    size = len(set(contact_ids)) if contact_ids is not None else await directory.count(caller, selection_filter or {})
    if size > most:
        raise HTTPException(
            status_code=403,
            detail=f"a texter may bulk-send to at most {most} contacts and this selection holds {size}: "
            "narrow it, or ask an owner or an admin to send it",
        )


def check_may_cancel(caller: Caller, job_owner: str | None) -> None:
    """Texters cancel their own bulk sends; owners and admins cancel anyone's."""
    if caller.role == "texter" and job_owner != caller.user_id:
        raise HTTPException(status_code=403, detail="a texter may cancel only their own bulk sends")
