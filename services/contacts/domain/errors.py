"""What can go wrong when changing a contact, in the domain's words."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One invalid input: the field's path (e.g. `phones.0.number`) and why."""

    field: str
    problem: str


class ContactsError(Exception):
    pass


class InvalidContact(ContactsError):
    """Input that breaks a rule; names every field that was wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.problem}" for p in problems))
        self.problems = problems

    @classmethod
    def of(cls, field: str, problem: str) -> "InvalidContact":
        return cls([Problem(field, problem)])


class ContactNotFound(ContactsError):
    pass


class ConsentConflict(ContactsError):
    """A user tried to record consent the person has withdrawn themselves."""


class RevisionConflict(ContactsError):
    """The contact changed since the revision the caller edited."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"contact is at revision {actual}, not {expected}; reload it and try again")
        self.expected = expected
        self.actual = actual


class ContactBusy(ContactsError):
    """Others kept changing the contact while this change was being applied."""


class TagNotFound(ContactsError):
    pass


class TagExists(ContactsError):
    """Another tag of the account already has this name."""


class ImportNotFound(ContactsError):
    pass


class ImportStateConflict(ContactsError):
    """The import job is not in a state that allows this."""
