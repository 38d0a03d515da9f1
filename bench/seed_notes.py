"""Seed a Portcullis SQLite database for bench/list_scale.sh: SIZE notes of 1000 other users
(1 % of them public) over two years, and 20 notes of the user USERNAME among the newest.

    python3 bench/seed_notes.py DB_FILE USERNAME SIZE
"""
import datetime
import random
import sqlite3
import sys

OTHERS = 1000
OWN = 20


def main(path, username, size):
    random.seed(15)
    db = sqlite3.connect(path)
    (caller,) = db.execute("SELECT id FROM auth_user WHERE username = ?", (username,)).fetchone()
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    stamp = lambda at: at.strftime("%Y-%m-%d %H:%M:%S.%f")
    joined = stamp(now)
    db.executemany(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined) VALUES ('!', 0, ?, '', '', '', 0, 1, ?)",
        [(f"bench_other_{i}", joined) for i in range(OTHERS)],
    )
    others = [r[0] for r in db.execute("SELECT id FROM auth_user WHERE username LIKE 'bench_other_%'")]
    start = now - datetime.timedelta(days=730)
    step = datetime.timedelta(days=730) / (size + OWN)
    # The caller's notes among the newest 2000 rows (or all of them), so that a page of the
    # newest mixes the caller's rows with the others' public ones.
    own_at = set(random.sample(range(max(0, size - 2000), size + OWN), OWN))

    def rows():
        for i in range(size + OWN):
            at = stamp(start + step * i)
            if i in own_at:
                yield (f"mine {i}", "", 0, caller, at, at)
            else:
                public = 1 if random.random() < 0.01 else 0
                yield (f"note {i}", "", public, random.choice(others), at, at)

    db.executemany(
        "INSERT INTO notes (title, body, is_public, owner_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows(),
    )
    db.commit()
    db.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
