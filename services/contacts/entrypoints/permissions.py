"""Who may call each route of the contacts service (checked by the gate every router runs)."""

from shared.permissions import MANAGERS, USERS, PermissionMatrix, Rule

CONTACT = "/v1/contacts/{contact_id}"

MATRIX = PermissionMatrix([
    Rule("POST", "/v1/contacts", USERS, "add a contact"),
    Rule("GET", "/v1/contacts", USERS, "filter and page through the contacts grid"),
    Rule("GET", "/v1/contacts/count", USERS, "count the contacts a filter matches"),
    Rule("POST", "/v1/contacts/selection/ids", USERS, "list the ids a filter selects (\"select all matching\")"),
    Rule("POST", "/v1/contacts/selection/count", USERS, "count the contacts a selection holds"),
    Rule("POST", "/v1/contacts/bulk/tag", USERS, "tag a selection of contacts"),
    Rule("POST", "/v1/contacts/bulk/untag", USERS, "untag a selection of contacts"),
    Rule("GET", "/v1/contacts/export.csv", MANAGERS, "export contacts as CSV"),
    Rule("GET", "/v1/contacts/limits", USERS, "see the limits on tags per contact and per account, and the account's count"),
    Rule("GET", "/v1/contacts/settings", USERS, "read the account's default phone region"),
    Rule("PUT", "/v1/contacts/settings", MANAGERS, "change the account's default phone region"),
    Rule("GET", CONTACT, USERS, "read a contact's profile"),
    Rule("PATCH", CONTACT, USERS, "edit a contact"),
    Rule("DELETE", CONTACT, MANAGERS, "delete a contact"),
    Rule("POST", f"{CONTACT}/tags", USERS, "tag a contact or one of its phones"),
    Rule("DELETE", f"{CONTACT}/tags/{{tag}}", USERS, "untag a contact or one of its phones"),
    Rule("GET", "/v1/tags", USERS, "list the account's tags"),
    Rule("POST", "/v1/tags", USERS, "create a tag"),
    Rule("PATCH", "/v1/tags/{tag_id}", MANAGERS, "rename or recolour a tag on every contact"),
    Rule("DELETE", "/v1/tags/{tag_id}", MANAGERS, "delete a tag from every contact"),
    Rule("POST", "/v1/imports", MANAGERS, "upload a CSV import"),
    Rule("GET", "/v1/imports", MANAGERS, "list the account's imports"),
    Rule("GET", "/v1/imports/{import_id}", MANAGERS, "follow an import"),
    Rule("POST", "/v1/imports/{import_id}/start", MANAGERS, "start an import"),
    Rule("GET", "/v1/imports/{import_id}/errors.csv", MANAGERS, "download an import's error report"),
])
