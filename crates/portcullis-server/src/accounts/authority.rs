//! Who may manage whom — the one rule every path applies (djoser's user views, the admin API
//! and its console; the command line is the operator at the shell, trusted as a superuser):
//!
//! - staff manage non-staff accounts; only a superuser manages staff and superusers;
//! - only a superuser grants or removes the staff and superuser flags, and sets the active
//!   flag or the groups of a staff account;
//! - a user may always change its own ordinary fields, but grants itself nothing (no flags,
//!   no groups), and never locks itself out (deactivates or un-staffs the account it is
//!   signed in with);
//! - a group whose members include staff is a superuser's to change, since its permissions
//!   are a staff user's permissions.
//!
//! Reading is not managing: whoever may see an account may still see it here. The callers
//! answer a refused [`may_manage`] with DRF's 403 (the account is visible but not theirs) and a
//! refused [`may_set`] with a field error, as the admin API always did.

use crate::store::User;

/// A privilege an actor wants to set on an account: a flag with its new value, or the groups.
/// Only an actual change is asked about: sending a flag's current value changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Privilege {
    Staff(bool),
    Superuser(bool),
    Active(bool),
    Groups,
}

/// Whether the account is a staff or superuser account, which only a superuser manages.
fn is_privileged(user: &User) -> bool {
    user.is_staff || user.is_superuser
}

/// May `actor` change `target` (its fields, password, sessions) or delete it?
pub(crate) fn may_manage(actor: &User, target: &User) -> bool {
    actor.id == target.id || actor.is_superuser || (actor.is_staff && !is_privileged(target))
}

/// May `actor` set `privilege` on `target` (`None`: an account `actor` is creating)? The
/// refusal is the message of a field error. Callers check [`may_manage`] first.
pub(crate) fn may_set(
    actor: &User,
    target: Option<&User>,
    privilege: Privilege,
) -> Result<(), String> {
    let creating = target.is_none();
    let on_self = target.is_some_and(|t| t.id == actor.id);
    // Nobody signs themselves out of the console for good: that is never what the click meant.
    if on_self {
        match privilege {
            Privilege::Active(false) => {
                return Err("You cannot deactivate the account you are signed in with.".into());
            }
            Privilege::Staff(false) => {
                return Err(
                    "You cannot remove staff status from the account you are signed in with."
                        .into(),
                );
            }
            _ => {}
        }
    }
    if actor.is_superuser {
        return Ok(());
    }
    let verb = if creating { "grant" } else { "change" };
    match privilege {
        Privilege::Superuser(_) => Err(format!("Only a superuser may {verb} superuser status.")),
        Privilege::Staff(_) => Err(format!("Only a superuser may {verb} staff status.")),
        Privilege::Groups if on_self => {
            Err("You cannot change the groups of the account you are signed in with.".into())
        }
        // The active flag of one's own account only reaches here unchanged or refused above.
        Privilege::Active(_) | Privilege::Groups => match target {
            // Staff set the active flag and the groups of the non-staff accounts they manage.
            Some(t) if actor.is_staff && !is_privileged(t) => Ok(()),
            None if actor.is_staff => Ok(()),
            _ => Err("Only a superuser may manage a staff account.".into()),
        },
    }
}

/// May `actor` change or delete a group? `has_staff_members`: whether any member of the
/// group is a staff or superuser account (whose permissions the group's permissions are).
pub(crate) fn may_manage_group(actor: &User, has_staff_members: bool) -> bool {
    actor.is_superuser || (actor.is_staff && !has_staff_members)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, staff: bool, superuser: bool) -> User {
        User::fixture(id, staff, superuser)
    }

    #[test]
    fn staff_manage_non_staff_and_superusers_manage_everyone() {
        let root = user(1, true, false);
        let root = User {
            is_superuser: true,
            ..root
        };
        let clerk = user(2, true, false);
        let other_clerk = user(3, true, false);
        let plain = user(4, false, false);
        let odd = user(5, false, true); // a superuser without the staff flag
        assert!(may_manage(&root, &clerk));
        assert!(may_manage(&root, &odd));
        assert!(may_manage(&clerk, &plain));
        assert!(may_manage(&clerk, &clerk));
        assert!(!may_manage(&clerk, &root));
        assert!(!may_manage(&clerk, &other_clerk));
        assert!(!may_manage(&clerk, &odd));
        assert!(!may_manage(&plain, &user(6, false, false)));
        assert!(may_manage(&plain, &plain));
    }

    #[test]
    fn only_a_superuser_grants_flags_and_nobody_grants_themselves_anything() {
        let root = User {
            is_superuser: true,
            ..user(1, true, false)
        };
        let clerk = user(2, true, false);
        let plain = user(4, false, false);
        assert!(may_set(&root, Some(&clerk), Privilege::Superuser(true)).is_ok());
        assert!(may_set(&root, Some(&root), Privilege::Groups).is_ok());
        assert!(may_set(&root, Some(&root), Privilege::Staff(false)).is_err());
        assert!(may_set(&root, Some(&root), Privilege::Active(false)).is_err());
        assert!(may_set(&clerk, Some(&plain), Privilege::Active(false)).is_ok());
        assert!(may_set(&clerk, Some(&plain), Privilege::Groups).is_ok());
        assert!(may_set(&clerk, None, Privilege::Groups).is_ok());
        assert_eq!(
            may_set(&clerk, Some(&plain), Privilege::Staff(true)),
            Err("Only a superuser may change staff status.".into())
        );
        assert_eq!(
            may_set(&clerk, None, Privilege::Staff(true)),
            Err("Only a superuser may grant staff status.".into())
        );
        assert!(may_set(&clerk, Some(&clerk), Privilege::Groups).is_err());
        assert!(may_set(&clerk, Some(&clerk), Privilege::Superuser(true)).is_err());
        assert!(may_set(&plain, Some(&plain), Privilege::Groups).is_err());
    }

    #[test]
    fn groups_with_staff_members_are_a_superusers_business() {
        let root = User {
            is_superuser: true,
            ..user(1, true, false)
        };
        let clerk = user(2, true, false);
        assert!(may_manage_group(&root, true));
        assert!(may_manage_group(&clerk, false));
        assert!(!may_manage_group(&clerk, true));
        assert!(!may_manage_group(&user(3, false, false), false));
    }
}
