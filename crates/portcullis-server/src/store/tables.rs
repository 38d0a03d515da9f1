//! A resource's table as the database should hold it, and the changes that bring a table there,
//! in terms any database can render. The resources feature decides *what* changes (from the
//! schema and the table it finds); each database's module says it in its own DDL
//! (`sqlite/ddl.rs`), so no SQL text crosses the store boundary.

use super::cells::Storage;

/// A table with its columns and the indexes its queries need.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) indexes: Vec<Index>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub(crate) name: String,
    pub(crate) kind: ColumnKind,
    pub(crate) not_null: bool,
    pub(crate) default: Option<Literal>,
    /// A foreign key: the table it points at (its `id`) and what a delete there does.
    pub(crate) references: Option<(String, OnDelete)>,
}

impl Column {
    /// The storage class of the values (the id is an integer).
    pub(crate) fn storage(&self) -> Storage {
        match self.kind {
            ColumnKind::Id => Storage::Integer,
            ColumnKind::Value(storage) => storage,
        }
    }

    /// Adding the column to a table with rows needs a value for them.
    pub(crate) fn needs_value(&self) -> bool {
        self.not_null && self.default.is_none() && self.kind != ColumnKind::Id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The auto-incremented primary key; an id is never handed out twice.
    Id,
    Value(Storage),
}

/// A column default from the schema file.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// A JSON number, as written.
    Number(String),
    Text(String),
}

/// What happens to rows referencing a deleted row (Django's `on_delete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    Cascade,
    SetNull,
    Restrict,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub(crate) name: String,
    pub(crate) unique: bool,
    /// Column names, each with `true` for descending.
    pub(crate) columns: Vec<(String, bool)>,
}

impl Index {
    /// Whether `existing`, a name the database lists, is this index: PostgreSQL keeps only the
    /// first 63 bytes of a longer name (names are ASCII), SQLite keeps it whole.
    pub(crate) fn is_named(&self, existing: &str) -> bool {
        const IDENTIFIER_MAX: usize = 63;
        existing == self.name
            || (self.name.len() > IDENTIFIER_MAX
                && self.name.is_char_boundary(IDENTIFIER_MAX)
                && existing == &self.name[..IDENTIFIER_MAX])
    }
}

/// One planned change. A migration's changes run in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A new table with its indexes.
    CreateTable(Table),
    AddColumn {
        table: String,
        column: Column,
    },
    /// Bring an existing table to `table`'s shape: columns retyped, nullability changed, columns
    /// not in `table` dropped; the values of the columns in `kept` carried over (converted to
    /// their new type), and its indexes created.
    Reshape {
        table: Table,
        kept: Vec<String>,
    },
    CreateIndex {
        table: String,
        index: Index,
    },
    DropIndex(String),
    DropTable(String),
}
