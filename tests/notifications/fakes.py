"""In-memory stand-ins for the notifications ports, for fast tests of the handlers."""

from dataclasses import replace

from services.notifications.domain.notifications import EmailDraft, Notification
from services.notifications.service_layer.ports import Email, EmailNotSent, NotificationsPorts, UserRecord


class FakeUsers:
    def __init__(self, *users: UserRecord) -> None:
        self.users = {(u.account_id, u.user_id): u for u in users}

    async def save(self, user, *, as_of):
        self.users[(user.account_id, user.user_id)] = user
        return True

    async def get(self, account_id, user_id):
        return self.users.get((account_id, user_id))

    async def owners(self, account_id):
        return [u for u in self.users.values() if u.account_id == account_id and u.role == "owner" and u.active]


class FakeNotifications:
    def __init__(self) -> None:
        self.stored: dict[str, Notification] = {}
        self.events: list = []

    async def add(self, notification, *, events):
        if notification.notification_id in self.stored:
            return False
        self.stored[notification.notification_id] = notification
        self.events.extend(events)
        return True


class FakeEmails:
    def __init__(self) -> None:
        self.emails: dict[str, Email] = {}

    async def add(self, *, email_id, account_id, user_id, to, draft: EmailDraft, source_event_id, now):
        if email_id in self.emails:
            return False
        status = "pending" if to else "waiting_for_address"
        self.emails[email_id] = Email(email_id, account_id, user_id, to, draft.subject, draft.body, status)
        return True

    async def address_waiting(self, *, account_id, user_id, to, now):
        ids = [e.email_id for e in self.emails.values()
               if (e.account_id, e.user_id, e.status) == (account_id, user_id, "waiting_for_address")]
        for email_id in ids:
            self.emails[email_id] = replace(self.emails[email_id], to=to, status="pending")
        return ids

    async def claim(self, email_id, *, now):
        email = self.emails.get(email_id)
        if email is None or email.status != "pending":
            return None
        self.emails[email_id] = replace(email, status="sending")
        return self.emails[email_id]

    async def sent(self, email_id, *, now):
        self.emails[email_id] = replace(self.emails[email_id], status="sent", error=None)

    async def failed(self, email_id, *, error, now):
        self.emails[email_id] = replace(self.emails[email_id], status="failed", error=error)


class FakeMailer:
    def __init__(self, *, refuse: bool = False) -> None:
        self.refuse = refuse
        self.sent: list[dict] = []

    async def send(self, *, to, subject, body):
        if self.refuse:
            raise EmailNotSent("SMTPRecipientsRefused: 550 mailbox unavailable")
        self.sent.append({"to": to, "subject": subject, "body": body})


def fake_ports(*users: UserRecord, mailer: FakeMailer | None = None) -> NotificationsPorts:
    return NotificationsPorts(users=FakeUsers(*users), notifications=FakeNotifications(), emails=FakeEmails(), mailer=mailer)
