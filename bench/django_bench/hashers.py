"""Django's argon2 hasher at Portcullis's cost, so a login costs the same hash on both sides.

Portcullis hashes new passwords with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane;
crates/portcullis-passwords/src/hashers/argon2_hasher.rs). Django's default Argon2PasswordHasher
uses 100 MiB, 2 passes and 8 lanes; the class keeps Django's algorithm name and format and only
changes the three costs, so Django neither rejects nor re-hashes what it writes.
"""
from django.contrib.auth.hashers import Argon2PasswordHasher


class BenchArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
