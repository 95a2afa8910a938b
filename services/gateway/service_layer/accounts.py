"""Signing up, logging in, and managing the users of an account."""

from dataclasses import dataclass
from datetime import timedelta

from services.gateway.adapters.passwords import PasswordHashing, hash_password
from services.gateway.adapters.repository import AccountsAndUsers
from services.gateway.domain.errors import EmailAlreadyRegistered, InvalidCredentials, InvalidInput, NotAllowed, NotFound
from services.gateway.domain.model import Account, Role, User, UserChange, utcnow
from services.gateway.domain.password_policy import personal_words
from services.gateway.domain.user_rules import check_user_change
from services.gateway.service_layer.login_throttle import LoginThrottle
from shared.events import Envelope, UserCreated, UserSignUpAttempted, UserUpdated
from shared.phones import InvalidPhoneNumber, parse_phone

# However often someone signs up with a registered email, its user is told at most once this often.
SIGN_UP_ATTEMPT_NOTICE = timedelta(hours=1)

# A real hash, so an unknown email costs as much time as a wrong password.
_UNKNOWN_USER_HASH = hash_password("unknown-user-placeholder")


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    password: str
    role: Role
    primary_cell: str | None


def _primary_cell(raw: str | None, region: str) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    try:
        parsed = parse_phone(raw, region)
    except InvalidPhoneNumber as error:
        raise InvalidInput(str(error), field="body.primary_cell") from error
    return parsed.e164, parsed.area_code


async def _check_password(new_user: NewUser, passwords: PasswordHashing, *also_personal: str) -> None:
    personal = personal_words(new_user.email, new_user.name, *also_personal)
    if problem := await passwords.weakness(new_user.password, personal=personal):
        raise InvalidInput(problem, field="body.password")


async def _build_user(account: Account, new_user: NewUser, passwords: PasswordHashing) -> User:
    """The user to store, once every field is valid (the password hashed last: it costs the most)."""
    e164, area_code = _primary_cell(new_user.primary_cell, account.default_region)
    await _check_password(new_user, passwords, account.name)
    return User(
        account_id=account.id,
        email=new_user.email.strip().lower(),
        name=new_user.name.strip(),
        role=new_user.role,
        password_hash=await passwords.hash(new_user.password),
        primary_cell=e164,
        primary_cell_area_code=area_code,
    )


def _created_event(account: Account, user: User) -> Envelope:
    snapshot = user.snapshot(eager_number_purchase=account.eager_number_purchase)
    return Envelope.wrap(UserCreated(user=snapshot), account_id=account.id, subject=user.id)


async def sign_up(
    *, repository: AccountsAndUsers, passwords: PasswordHashing, account_name: str, owner: NewUser
) -> None:
    """Create an account and its owner unless the email is registered already; the owner's
    user.created leaves through the outbox.

    The caller learns nothing about which it was: both ways the request is validated and the
    password judged and hashed (the costly part), and both end the same, with the caller told
    to sign in. Signing in then works only with the registered user's own password, and that
    user is told someone signed up with their email."""
    account = Account(name=account_name.strip())
    user = await _build_user(account, owner, passwords)
    if registered := await repository.user_by_email(user.email):
        await _tell_of_sign_up_attempt(repository, registered)
        return
    await repository.add_account(account)
    try:
        await repository.add_user(user, [_created_event(account, user)])
    except EmailAlreadyRegistered:  # another sign-up with this email got there first
        await repository.remove_account(account.id)


async def _tell_of_sign_up_attempt(repository: AccountsAndUsers, user: User) -> None:
    """user.sign_up_attempted, so that the user is told, at most once per SIGN_UP_ATTEMPT_NOTICE."""
    at = utcnow()
    event = Envelope.wrap(UserSignUpAttempted(user_id=user.id, attempted_at=at), account_id=user.account_id, subject=user.id)
    await repository.record_sign_up_attempt(user.id, at=at, unless_since=at - SIGN_UP_ATTEMPT_NOTICE, events=[event])


async def log_in(
    *, repository: AccountsAndUsers, passwords: PasswordHashing, throttle: LoginThrottle, email: str, password: str, address: str
) -> User:
    """The user with these credentials, unless too many logins failed lately for the email or the address."""
    email = email.strip().lower()
    await throttle.check(email=email, address=address)
    user = await repository.user_by_email(email)
    if user is None:
        await passwords.matches(_UNKNOWN_USER_HASH, password)
    if user is None or not user.active or not await passwords.matches(user.password_hash, password):
        await throttle.failed(email=email, address=address)
        raise InvalidCredentials("wrong email or password")
    return user


async def add_user(*, repository: AccountsAndUsers, passwords: PasswordHashing, acting: User, new_user: NewUser) -> User:
    """An owner or admin adds someone to their own account."""
    if not acting.can_manage_users:
        raise NotAllowed("only owners and admins can add users")
    if new_user.role == "owner" and acting.role != "owner":
        raise NotAllowed("only an owner can add another owner")
    account = await repository.get_account(acting.account_id)
    user = await _build_user(account, new_user, passwords)
    await repository.add_user(user, [_created_event(account, user)])
    return user


async def update_user(
    *, repository: AccountsAndUsers, acting: User, user_id: str, changes: dict
) -> User:
    """Change a user's name, primary cell, role or active flag as the rules allow; emits
    user.updated naming who changed what, and records a primary cell's change."""
    if acting.id != user_id and not acting.can_manage_users:
        raise NotAllowed("only owners and admins can change other users")
    user = await repository.user_in_account(acting.account_id, user_id)
    if user is None:
        raise NotFound("no such user")
    if user.role == "owner" and ("role" in changes or "active" in changes):
        async with repository.owner_changes_held(acting.account_id):
            return await _change_user(repository, acting, user_id, changes)
    return await _change_user(repository, acting, user_id, changes)


async def _change_user(repository: AccountsAndUsers, acting: User, user_id: str, changes: dict) -> User:
    user = await repository.user_in_account(acting.account_id, user_id)  # as it is now, inside the hold
    if user is None:
        raise NotFound("no such user")
    active_owners = await repository.count_active_owners(acting.account_id)
    check_user_change(acting=acting, target=user, changes=changes, active_owners=active_owners)
    account = await repository.get_account(acting.account_id)
    previous = _apply_changes(user, changes, account.default_region)
    if previous:
        at = utcnow()
        event = Envelope.wrap(
            UserUpdated(
                user=user.snapshot(eager_number_purchase=account.eager_number_purchase), changed=list(previous),
                changed_by=acting.id, changed_at=at, previous=previous,
            ),
            account_id=account.id,
            subject=user.id,
        )
        await repository.replace_user(user, [event])
        if "primary_cell" in previous:
            await repository.record_change(UserChange(
                account_id=account.id, user_id=user.id, changed_by=acting.id, at=at, field="primary_cell",
                old=previous["primary_cell"], new=user.primary_cell,
            ))
    return user


def _apply_changes(user: User, changes: dict, region: str) -> dict:
    """Apply `changes` to `user`; what each changed field held before, by name."""
    previous = {}
    if "primary_cell" in changes:
        e164, area_code = _primary_cell(changes["primary_cell"], region)
        if e164 != user.primary_cell:
            previous["primary_cell"] = user.primary_cell
            user.primary_cell, user.primary_cell_area_code = e164, area_code
    for name in ("name", "role", "active"):
        if name in changes and changes[name] != getattr(user, name):
            previous[name] = getattr(user, name)
            setattr(user, name, changes[name])
    return previous
