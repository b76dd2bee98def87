#!/bin/bash
# First start of the compose PostgreSQL: database healthmesh, one role and schema per service
# (as deploy/local/stack.sh makes them), each password from the environment (.env).
set -euo pipefail
for role in gateway preferences normalizer imports withings oura; do
  var="${role^^}_DB_PASSWORD"
  psql -v ON_ERROR_STOP=1 -U postgres -d postgres \
    -v role="$role" -v password="${!var}" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
ALTER ROLE :"role" SET search_path = :"role";
SQL
done
psql -v ON_ERROR_STOP=1 -U postgres -d postgres -c "CREATE DATABASE healthmesh"
for role in gateway preferences normalizer imports withings oura; do
  psql -v ON_ERROR_STOP=1 -U postgres -d healthmesh -v role="$role" <<'SQL'
CREATE SCHEMA :"role" AUTHORIZATION :"role";
GRANT CONNECT, TEMPORARY ON DATABASE healthmesh TO :"role";
SQL
done
