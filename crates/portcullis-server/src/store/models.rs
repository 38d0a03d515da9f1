//! The rows of the fixed tables, as the application uses them.

/// A row of `auth_user`, Django's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub password: String,
    pub last_login: Option<String>,
    pub is_superuser: bool,
    pub username: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub email: String,
    pub is_staff: bool,
    pub is_active: bool,
    pub(crate) date_joined: String,
}

#[cfg(test)]
impl User {
    /// An active user with these flags, for unit tests of rules that read only the row.
    pub(crate) fn fixture(id: i64, staff: bool, superuser: bool) -> User {
        User {
            id,
            password: String::new(),
            last_login: None,
            is_superuser: superuser,
            username: format!("u{id}"),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            is_staff: staff,
            is_active: true,
            date_joined: String::new(),
        }
    }
}

/// What creating a user needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewUser {
    pub(crate) username: String,
    pub(crate) email: String,
    /// Already hashed (Django's encoded format).
    pub(crate) password: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) is_staff: bool,
    pub(crate) is_superuser: bool,
    pub(crate) is_active: bool,
    /// Ids of the groups it joins (missing groups are skipped), in the creating transaction.
    pub(crate) groups: Vec<i64>,
}

/// Fields to change on a user; `None` leaves the column as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub is_staff: Option<bool>,
    pub is_superuser: Option<bool>,
    pub is_active: Option<bool>,
    /// The groups, by id, replacing its memberships (missing groups are skipped).
    pub groups: Option<Vec<i64>>,
}
