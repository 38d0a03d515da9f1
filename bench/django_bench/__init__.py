"""Settings for running the reference Django project under the benchmark (bench/run.sh)."""
