"""What makes a password acceptable: a length between the bounds and a zxcvbn strength score
high enough, judged against the user's own email and names so "sam@example.org2026" is weak."""

import re

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's 3: "safely unguessable", enough against an online attack and a slow-hash offline one.
MIN_SCORE = 3
# zxcvbn's cost grows with length (about 15 ms of CPU for 64 characters, 90 ms for 128);
# a password whose first 64 characters are strong is strong.
JUDGED_PREFIX = 64


def personal_words(*texts: str) -> list[str]:
    """The words of an email and names that a password should not be built from."""
    words = set()
    for text in texts:
        lowered = text.strip().lower()
        if lowered:
            words.add(lowered)
            words.update(word for word in re.split(r"[\W_]+", lowered) if len(word) >= 3)
    return sorted(words)


def weakness(password: str, *, personal: list[str]) -> str | None:
    """Why `password` is refused, in words; None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"too short: use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"too long: use at most {MAX_LENGTH} characters"
    judged = zxcvbn(password[:JUDGED_PREFIX], user_inputs=personal, max_length=JUDGED_PREFIX)
    if judged["score"] >= MIN_SCORE:
        return None
    feedback = judged["feedback"]
    advice = " ".join(part for part in [feedback["warning"], *feedback["suggestions"]] if part)
    return f"too easy to guess: {advice or 'add another word or two, or make it longer.'}"
