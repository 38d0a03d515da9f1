#!/usr/bin/env python3
"""Seed the scale run of bench/run.sh by writing one side's database directly, its server stopped.

    seed.py DATABASE TABLE SCALE_USER SIZE [--reset]

DATABASE is a SQLite file or a postgres:// URL (PostgreSQL needs psycopg); TABLE is the notes
table (Django's `notes_note`, Portcullis's `notes`: the same columns, Django's layout); SCALE_USER
(registered through the API beforehand) owns 20 notes, and the table then holds SIZE rows of
other users, 1 % of them public. --reset first deletes every note (the endpoint runs leave
thousands of created notes behind) and writes the scale user's 20; later calls only add rows up to
the next SIZE. Owners are extra users with unusable passwords (row i belongs to the (i mod 997)th,
so the public rows spread over many owners); timestamps are spread at random over 2025 in each
database's own storage format, so the newest-first page mixes the scale user's notes with public
notes of others. Deterministic: the same call writes the same rows.
"""
import datetime
import random
import sys
import time

OTHER_USERS = 1000
SCALE_NOTES = 20
YEAR_START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
YEAR_US = 365 * 24 * 3600 * 10**6
BODY = "A note of another user, written straight into the table by the benchmark's seeder."


def stamp(rng):
    """A random instant of 2025 in Django's SQLite storage format (UTC)."""
    at = YEAR_START + datetime.timedelta(microseconds=rng.randrange(YEAR_US))
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


class Sqlite:
    def __init__(self, path):
        import sqlite3

        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA synchronous = OFF")

    @staticmethod
    def dialect(sql):
        """The statements are written with psycopg's placeholders; SQLite's are `?`."""
        return sql.replace("%s", "?").replace("%%", "%")

    def one(self, sql, *args):
        return self.db.execute(self.dialect(sql), args).fetchone()

    def execute(self, sql, *args):
        self.db.execute(self.dialect(sql), args)

    def insert(self, table, columns, rows):
        # Booleans are integers in SQLite on both sides, and timestamps the text written above.
        rows = ([int(v) if isinstance(v, bool) else v for v in row] for row in rows)
        marks = ", ".join("?" for _ in columns)
        self.db.executemany(
            "INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(columns), marks), rows)

    def finish(self, table):
        self.db.commit()
        self.db.close()


class Postgres:
    def __init__(self, url):
        import psycopg

        self.db = psycopg.connect(url)

    def one(self, sql, *args):
        return self.db.execute(sql, args).fetchone()

    def execute(self, sql, *args):
        self.db.execute(sql, args)

    def column_types(self, table):
        rows = self.db.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            (table,)).fetchall()
        return dict(rows)

    def insert(self, table, columns, rows):
        """COPY the rows, each value written in the column's own type: Django's booleans and
        timestamptz, Portcullis's BIGINT flags and TEXT timestamps."""
        types = self.column_types(table)
        convert = [self.converter(types[c]) for c in columns]
        with self.db.cursor().copy("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns))) as copy:
            for row in rows:
                copy.write_row([f(v) for f, v in zip(convert, row)])

    @staticmethod
    def converter(data_type):
        if data_type == "boolean":
            return lambda v: v
        if data_type in ("bigint", "integer", "smallint"):
            return lambda v: int(v) if isinstance(v, bool) else v
        if data_type.startswith("timestamp"):
            return lambda v: v + "+00" if isinstance(v, str) else v
        return lambda v: v

    def finish(self, table):
        self.db.commit()
        # The planner's statistics and the visibility map, as autovacuum would leave them after
        # such a load: without the map, an index-only scan (a count over an index range) visits
        # the table for every row it counts. VACUUM runs outside a transaction.
        self.db.autocommit = True
        self.db.execute("VACUUM ANALYZE %s" % table)
        self.db.execute("VACUUM ANALYZE auth_user")
        self.db.close()


def user_rows(names, joined):
    for name in names:
        yield ("!" + "%040x" % random.Random(name).getrandbits(160), None, False, name, "", "", "",
               False, True, joined)


def ensure_owners(db):
    have = db.one("SELECT COUNT(*) FROM auth_user WHERE username LIKE 'bench_other_%%'")[0]
    if have < OTHER_USERS:
        columns = ("password", "last_login", "is_superuser", "username", "first_name", "last_name",
                   "email", "is_staff", "is_active", "date_joined")
        names = ["bench_other_%04d" % i for i in range(have, OTHER_USERS)]
        db.insert("auth_user", columns, user_rows(names, stamp(random.Random(0))))
    first = db.one("SELECT MIN(id) FROM auth_user WHERE username LIKE 'bench_other_%%'")[0]
    last = db.one("SELECT MAX(id) FROM auth_user WHERE username LIKE 'bench_other_%%'")[0]
    if last - first + 1 != OTHER_USERS:
        sys.exit("seed: the extra users' ids are not consecutive")
    return first


def note_rows(owner_of, start, stop, rng):
    for i in range(start, stop):
        at = stamp(rng)
        yield ("note %d" % i, BODY, i % 100 == 0, owner_of(i), at, at)


def seed(target, table, scale_user, size, reset):
    db = Postgres(target) if target.startswith(("postgres://", "postgresql://")) else Sqlite(target)
    row = db.one("SELECT id FROM auth_user WHERE username = %s", scale_user)
    if row is None:
        sys.exit("seed: no user %s in %s" % (scale_user, table))
    scale_id = row[0]
    first_owner = ensure_owners(db)
    columns = ("title", "body", "is_public", "owner_id", "created_at", "updated_at")
    if reset:
        db.execute("DELETE FROM %s" % table)
        rng = random.Random("scale user")
        db.insert(table, columns, note_rows(lambda i: scale_id, 0, SCALE_NOTES, rng))
    have = db.one("SELECT COUNT(*) FROM %s WHERE owner_id <> %%s" % table, scale_id)[0]
    if have > size:
        sys.exit("seed: %s already holds %d rows of other users, more than %d" % (table, have, size))
    # 1 % public overall: every hundredth row, counted across calls.
    db.insert(table, columns, note_rows(lambda i: first_owner + i % 997, have, size,
                                        random.Random("others %d" % have)))
    db.finish(table)
    return size - have


def main(argv):
    if len(argv) not in (5, 6) or (len(argv) == 6 and argv[5] != "--reset"):
        sys.exit(__doc__)
    started = time.monotonic()
    added = seed(argv[1], argv[2], argv[3], int(argv[4]), len(argv) == 6)
    print("  seeded %s: %d rows of other users (+%d) in %.1f s"
          % (argv[2], int(argv[4]), added, time.monotonic() - started), flush=True)


if __name__ == "__main__":
    main(sys.argv)
