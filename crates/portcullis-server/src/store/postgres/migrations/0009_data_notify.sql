-- Announce every change to a resource's rows, whoever makes it (another Portcullis instance,
-- the command line, Django's admin on the same database): each instance keeps the answers of
-- resource reads while nothing changed (store/result_cache.rs) and LISTENs on `portcullis_data`
-- to drop them as soon as any resource table changes. The payload is the table's name; a
-- statement trigger announces once per statement, and PostgreSQL sends one notification per
-- distinct payload when the transaction commits. The triggers themselves are put on each
-- resource and join table when Portcullis syncs the schema (postgres/data_version.rs), since
-- those tables are the configuration's, not fixed. PostgreSQL only.
CREATE FUNCTION portcullis_data_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('portcullis_data', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
