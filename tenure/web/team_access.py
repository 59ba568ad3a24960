"""Who may change the roster, rules, assignments, onboarding and the reason list.

Every signed-in user reads. Admins manage everything; leaders manage
assignment rules, assignments, departures and the reason list; a CSM changes
milestones and note tags of their own accounts; viewers change nothing.
"""

from tenure.accounts.models import Account, User
from tenure.web.errors import NotAllowed

MANAGERS = ("admin", "leader")


def can_manage_assignments(user: User) -> bool:
    return user.role in MANAGERS


def require_admin_for(user: User, action: str) -> None:
    if user.role != "admin":
        raise NotAllowed(f"only admins may {action}; ask an admin")


def require_assignment_manager(user: User, action: str) -> None:
    if not can_manage_assignments(user):
        raise NotAllowed(f"a {user.role} may not {action}; ask a leader or an admin")


def can_edit_account(user: User, account: Account) -> bool:
    """Admins and leaders on every account, a CSM on their own, viewers never."""
    if user.role in MANAGERS:
        return True
    return user.role == "csm" and account.csm_id == user.id


def require_account_editor(user: User, account: Account, action: str) -> None:
    if not can_edit_account(user, account):
        raise NotAllowed(
            f"a {user.role} may not {action} of account {account.id!r}; ask its "
            "CSM, a leader or an admin"
        )
