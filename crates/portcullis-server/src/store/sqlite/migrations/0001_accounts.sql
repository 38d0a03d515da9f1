-- Django's auth tables (auth_user keeps Django's columns so Django can read it), DRF's token
-- table with the key stored only as a keyed digest and a sealed copy, and Django's groups and
-- permissions.
CREATE TABLE auth_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    password VARCHAR(128) NOT NULL,
    last_login DATETIME NULL,
    is_superuser BOOL NOT NULL,
    username VARCHAR(150) NOT NULL UNIQUE,
    first_name VARCHAR(150) NOT NULL,
    last_name VARCHAR(150) NOT NULL,
    email VARCHAR(254) NOT NULL,
    is_staff BOOL NOT NULL,
    is_active BOOL NOT NULL,
    date_joined DATETIME NOT NULL
);

CREATE TABLE authtoken_token (
    user_id INTEGER NOT NULL PRIMARY KEY REFERENCES auth_user (id) ON DELETE CASCADE,
    key_digest CHAR(64) NOT NULL UNIQUE,
    key_sealed BLOB NOT NULL,
    created DATETIME NOT NULL
);

CREATE TABLE auth_group (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(150) NOT NULL UNIQUE
);

CREATE TABLE auth_permission (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(255) NOT NULL,
    codename VARCHAR(100) NOT NULL,
    resource VARCHAR(100) NOT NULL,
    UNIQUE (resource, codename)
);

CREATE TABLE auth_group_permissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES auth_group (id) ON DELETE CASCADE,
    permission_id INTEGER NOT NULL REFERENCES auth_permission (id) ON DELETE CASCADE,
    UNIQUE (group_id, permission_id)
);

CREATE TABLE auth_user_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES auth_group (id) ON DELETE CASCADE,
    UNIQUE (user_id, group_id)
);

CREATE TABLE auth_user_user_permissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    permission_id INTEGER NOT NULL REFERENCES auth_permission (id) ON DELETE CASCADE,
    UNIQUE (user_id, permission_id)
);

CREATE INDEX auth_user_groups_group ON auth_user_groups (group_id);
CREATE INDEX auth_group_permissions_permission ON auth_group_permissions (permission_id);
CREATE INDEX auth_user_user_permissions_permission ON auth_user_user_permissions (permission_id);
