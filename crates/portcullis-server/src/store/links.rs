//! The links of many-to-many fields, in terms any database can write: a join table holding
//! (source id, target id) pairs, as Django's `ManyToManyField` keeps them. A row and the links
//! of its fields are written in one transaction (`ResourceStore::insert_row_linked`,
//! `ResourceStore::update_row_linked`), so a 201 never answers a row whose links were lost.

/// The complete set of targets one row is to be linked to through one join table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSet {
    /// The join table.
    pub(crate) table: String,
    /// Its column holding the row's id.
    pub(crate) source: String,
    /// Its column holding the target's id.
    pub(crate) target: String,
    /// The target ids, each once (Django's `set()` adds a repeated id once).
    pub(crate) targets: Vec<i64>,
}
