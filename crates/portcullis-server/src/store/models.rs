//! The rows of the fixed tables, as the application uses them.

/// A row of `auth_user`, Django's fields.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
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
pub struct NewUser {
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
    /// The values of the user model's own fields, written with the user (see
    /// `accounts::own_fields`).
    pub(crate) own: Option<OwnRow>,
}

/// A row of the user model's own fields: its table and the columns to write.
#[derive(Debug, Clone)]
pub struct OwnRow {
    pub(crate) table: &'static str,
    pub(crate) values: Vec<(String, sea_query::Value)>,
}

impl OwnRow {
    /// `INSERT … ON CONFLICT (user_id) DO UPDATE` of the row's columns for `user_id`: the row
    /// is created when missing (the columns left out take the table's defaults).
    pub(crate) fn upsert(&self, user_id: i64) -> sea_query::InsertStatement {
        use sea_query::{Alias, Expr, OnConflict, Query, SimpleExpr};
        let mut columns = vec![Alias::new("user_id")];
        columns.extend(self.values.iter().map(|(c, _)| Alias::new(c)));
        let mut row: Vec<SimpleExpr> = vec![user_id.into()];
        row.extend(self.values.iter().map(|(_, v)| Expr::val(v.clone())));
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(self.table))
            .columns(columns)
            .values_panic(row);
        let update = self.values.iter().map(|(c, _)| Alias::new(c));
        let mut conflict = OnConflict::column(Alias::new("user_id"));
        if self.values.is_empty() {
            insert.on_conflict(conflict.do_nothing().to_owned());
        } else {
            insert.on_conflict(conflict.update_columns(update).to_owned());
        }
        insert
    }
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
