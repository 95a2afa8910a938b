"""Who may call each route of the notifications service (checked by the gate its router runs).
Every user reads and marks only their own notifications."""

from shared.permissions import USERS, PermissionMatrix, Rule

MATRIX = PermissionMatrix([
    Rule("GET", "/v1/notifications", USERS, "list their notifications"),
    Rule("GET", "/v1/notifications/unread-count", USERS, "count their unread notifications"),
    Rule("POST", "/v1/notifications/read-all", USERS, "mark all their notifications read"),
    Rule("POST", "/v1/notifications/{notification_id}/read", USERS, "mark one of their notifications read"),
])
