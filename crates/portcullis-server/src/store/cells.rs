//! Rows of schema-defined resources: statements are built with sea-query by the resources
//! feature from its validated schema (identifiers from the schema only, every value a bound
//! parameter); the store runs them and hands back cells typed by storage class.

/// How a column is stored and read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Integer,
    Real,
    Text,
}

impl std::fmt::Display for Storage {
    /// The storage class as messages name it, the same on every database (each database's own
    /// type names are in its `ddl.rs`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Storage::Integer => "INTEGER",
            Storage::Real => "REAL",
            Storage::Text => "TEXT",
        })
    }
}

/// One value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A column as the database has it (for schema migrations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    /// The storage class, when the declared type is one Portcullis writes.
    pub(crate) storage: Option<Storage>,
    pub(crate) not_null: bool,
}
