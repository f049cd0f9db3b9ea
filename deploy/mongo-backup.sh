#!/usr/bin/env bash
# Nightly backup, run by the `backup` service in the mongo image (which has mongodump): a gzipped
# archive of the whole replica set with its oplog (a consistent point in time) in /backups, at
# BACKUP_AT (UTC), keeping BACKUP_KEEP_DAYS days. `mongo-backup now` makes one at once and exits.
# Restore: see docs/operations.md.
set -euo pipefail

uri=${MONGODB_URI:?MONGODB_URI is not set}
at=${BACKUP_AT:-02:00}
keep=${BACKUP_KEEP_DAYS:-14}
dir=${BACKUP_DIR:-/backups}

backup() {
  local file
  file="$dir/sdglearn-$(date -u +%Y-%m-%dT%H%M%SZ).archive.gz"
  mongodump --uri="$uri" --oplog --gzip --archive="$file.partial"
  # Renamed only when complete, so a restore never picks up a half-written archive.
  mv "$file.partial" "$file"
  find "$dir" -name 'sdglearn-*.archive.gz' -mtime +"$keep" -delete
  echo "backup written: $file"
}

if [ "${1:-}" = now ]; then
  backup
  exit 0
fi

echo "backups at $at UTC into $dir, kept $keep days"
while true; do
  now=$(date -u +%s)
  next=$(date -u -d "today $at" +%s)
  [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow $at" +%s)
  sleep $((next - now))
  backup || echo "backup failed; the next try is tomorrow at $at UTC" >&2
done
