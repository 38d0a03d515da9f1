-- The last applied definition of each schema-defined resource, to plan schema migrations.
CREATE TABLE portcullis_resources (
    name VARCHAR(63) NOT NULL PRIMARY KEY,
    definition TEXT NOT NULL
);
