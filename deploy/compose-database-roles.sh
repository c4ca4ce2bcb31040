#!/bin/sh
# Run by the postgres image on its first start (docker-entrypoint-initdb.d): the database and the service's roles.
set -e
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -v database=croydon_audit \
  -v owner_password="$CROYDON_OWNER_PASSWORD" -v service_password="$CROYDON_SERVICE_PASSWORD" \
  -f /croydon/database-roles.sql
