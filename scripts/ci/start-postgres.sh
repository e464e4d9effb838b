#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1:5432 (idempotent) with a test role, and
# prints the connection URL on stdout. Used by `npm run test:all` (scripts/test-all.ts, as root);
# handy locally too: export BAOMI_TEST_DATABASE_URL="$(bash scripts/ci/start-postgres.sh)"
set -euo pipefail
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | grep -q "^${version} main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='baomi'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE baomi WITH LOGIN SUPERUSER PASSWORD 'baomi'\"" >/dev/null
echo "postgres://baomi:baomi@127.0.0.1:5432/postgres"
