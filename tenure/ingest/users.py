"""Imported users pass the same checks as `tenure users add`."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from tenure.accounts.roster import email_key, user_field_problems

if TYPE_CHECKING:
    from tenure.ingest.validate import TypedRow


def check_users(
    rows: Sequence["TypedRow"], *, stored_emails: Mapping[str, str]
) -> None:
    """Reject users with a value the roster refuses or an e-mail taken by another.

    `stored_emails` maps each stored user's e-mail (compared without case) to
    their id; a row may keep or change its own user's e-mail.
    """
    first_seen: dict[str, TypedRow] = {}
    for typed in rows:
        if not typed.is_valid:
            continue
        values = typed.values
        for field, reason in user_field_problems(
            user_id=values.get("id"),
            email=values.get("email"),
            role=values.get("role"),
            fte=values.get("fte"),
            capacity_accounts=values.get("capacity_accounts"),
            capacity_arr_cents=values.get("capacity_arr_cents"),
        ):
            typed.reject(field, values.get(field), reason)
        email = values.get("email")
        if not typed.is_valid or email is None:
            continue
        key = email_key(email)
        earlier = first_seen.setdefault(key, typed)
        if earlier is not typed:
            typed.reject(
                "email",
                email,
                f"e-mail {email!r} is also in {earlier.row.file} row "
                f"{earlier.row.number} (case does not count); give each user "
                "their own e-mail",
            )
            continue
        owner = stored_emails.get(key)
        if owner is not None and owner != values.get("id"):
            typed.reject(
                "email",
                email,
                f"user {owner!r} in the store has the e-mail {email!r} already "
                "(case does not count); give each user their own e-mail",
            )
