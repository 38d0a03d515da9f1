//! Access rules per action, mapped to DRF's permission classes:
//!
//! | rule | DRF |
//! |---|---|
//! | `anyone` | `AllowAny` |
//! | `authenticated` | `IsAuthenticated` |
//! | `staff` | `IsAdminUser` |
//! | `owner` | `IsAuthenticated` + an object permission: the row's owner or staff |
//! | `<resource>.add|change|delete|view` | `DjangoModelPermissions` for that one permission |
//!
//! A list of rules must all pass. View-level rules run before the row is looked up (a 401/403
//! before a 404, as DRF's `check_permissions`); `owner` runs on the row after the visibility
//! filter, so a row the caller cannot see is a 404 and one it can see but not write a 403.

use crate::http::ApiError;
use crate::store::User;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Anyone,
    Authenticated,
    Staff,
    Owner,
    /// (resource, codename): `notes.change` → ("notes", "change").
    Permission(String, String),
}

/// The rule of one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    terms: Vec<Term>,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            terms: vec![Term::Authenticated],
        }
    }
}

/// The rules of the five actions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Access {
    pub(crate) list: Rule,
    pub(crate) retrieve: Rule,
    pub(crate) create: Rule,
    pub(crate) update: Rule,
    pub(crate) destroy: Rule,
}

/// The four model permissions every resource has.
pub(crate) const CODENAMES: &[&str] = &["add", "change", "delete", "view"];

impl Rule {
    /// Whether a caller without credentials passes (every term is `anyone`).
    pub(crate) fn allows_anonymous(&self) -> bool {
        self.terms.iter().all(|t| *t == Term::Anyone)
    }

    pub(crate) fn parse(words: &[String], resource: &str) -> Result<Rule, String> {
        if words.is_empty() {
            return Err("an empty list allows nobody; use \"anyone\" or a rule".into());
        }
        let terms = words
            .iter()
            .map(|w| match w.as_str() {
                "anyone" => Ok(Term::Anyone),
                "authenticated" => Ok(Term::Authenticated),
                "staff" => Ok(Term::Staff),
                "owner" => Ok(Term::Owner),
                other => match other.split_once('.') {
                    Some((r, codename)) if CODENAMES.contains(&codename) => {
                        if r != resource {
                            return Err(format!("{other:?}: a permission rule names its own resource ({resource}.{codename})"));
                        }
                        Ok(Term::Permission(r.to_string(), codename.to_string()))
                    }
                    _ => Err(format!(
                        "{other:?} is not anyone, authenticated, staff, owner or {resource}.add|change|delete|view"
                    )),
                },
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rule { terms })
    }

    pub(crate) fn needs_owner(&self) -> bool {
        self.terms.contains(&Term::Owner)
    }

    /// The permissions this rule asks for, as (resource, codename).
    pub(crate) fn permissions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.terms.iter().filter_map(|t| match t {
            Term::Permission(r, c) => Some((r.as_str(), c.as_str())),
            _ => None,
        })
    }

    /// DRF's `has_permission`. `has_perm` answers a model permission for the user.
    pub(crate) fn check_view(
        &self,
        user: Option<&User>,
        has_perm: impl Fn(&str, &str) -> bool,
    ) -> Result<(), ApiError> {
        for term in &self.terms {
            let ok = match term {
                Term::Anyone => true,
                Term::Authenticated | Term::Owner => user.is_some(),
                Term::Staff => user.is_some_and(|u| u.is_staff),
                Term::Permission(r, c) => user.is_some_and(|u| u.is_superuser || has_perm(r, c)),
            };
            if !ok {
                return Err(if user.is_none() {
                    ApiError::NotAuthenticated
                } else {
                    ApiError::PermissionDenied
                });
            }
        }
        Ok(())
    }

    /// DRF's `has_object_permission` for a row owned by `owner_id`.
    pub(crate) fn check_object(
        &self,
        user: Option<&User>,
        owner_id: Option<i64>,
    ) -> Result<(), ApiError> {
        if !self.needs_owner() {
            return Ok(());
        }
        match user {
            Some(u) if u.is_staff || owner_id == Some(u.id) => Ok(()),
            Some(_) => Err(ApiError::PermissionDenied),
            None => Err(ApiError::NotAuthenticated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(staff: bool) -> User {
        User::fixture(7, staff, false)
    }

    #[test]
    fn rules_map_to_drf_permissions() {
        let parse = |w: &[&str]| {
            Rule::parse(
                &w.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "notes",
            )
        };
        let owner = parse(&["owner"]).expect("rule");
        assert!(matches!(
            owner.check_view(None, |_, _| false),
            Err(ApiError::NotAuthenticated)
        ));
        assert!(owner.check_object(Some(&user(false)), Some(7)).is_ok());
        assert!(matches!(
            owner.check_object(Some(&user(false)), Some(8)),
            Err(ApiError::PermissionDenied)
        ));
        assert!(owner.check_object(Some(&user(true)), Some(8)).is_ok());
        let perm = parse(&["notes.change"]).expect("rule");
        assert!(matches!(
            perm.check_view(Some(&user(false)), |_, _| false),
            Err(ApiError::PermissionDenied)
        ));
        assert!(
            perm.check_view(Some(&user(false)), |r, c| r == "notes" && c == "change")
                .is_ok()
        );
        assert!(
            parse(&["anyone"])
                .expect("rule")
                .check_view(None, |_, _| false)
                .is_ok()
        );
        assert!(parse(&["tasks.add"]).is_err());
        assert!(parse(&["root"]).is_err());
    }
}
