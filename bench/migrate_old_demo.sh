#!/usr/bin/env bash
# A database built by an older commit, with the geography and the demo, migrates to this
# checkout's layout with the same rows in every table it had (new tables may be added).
#   bash bench/migrate_old_demo.sh [COMMIT]   (default: the commit before the app split)
# SQLite by default; DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME for PostgreSQL
# (the database is dropped and made again).
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:-fcd2a89}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="${DATABASE_URL:-sqlite:///$work/old.sqlite3}"
if [[ "$url" == postgres* ]]; then
  name="${url##*/}"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
fi
git worktree add -q --detach "$work/old" "$commit"
ln -s "$PWD/.venv" "$work/old/.venv"; ln -s "$PWD/node_modules" "$work/old/node_modules"
echo "== building the demo at $commit"
(cd "$work/old" && DATABASE_URL="$url" .venv/bin/python manage.py migrate -v0 \
  && DATABASE_URL="$url" .venv/bin/python manage.py load_geography >/dev/null \
  && DATABASE_URL="$url" .venv/bin/python manage.py demo >/dev/null)
DATABASE_URL="$url" .venv/bin/python bench/table_counts.py > "$work/before.tsv"
echo "== migrating with $(git rev-parse --short HEAD)"
DATABASE_URL="$url" .venv/bin/python manage.py migrate -v1 | grep -E "Apply|No migrations" || true
DATABASE_URL="$url" .venv/bin/python bench/table_counts.py > "$work/after.tsv"
echo "== tables: $(wc -l < "$work/before.tsv") before, $(wc -l < "$work/after.tsv") after"
# every table of before with its count, compared with after (the migrations, content types
# and permissions grow with the new models; the whole-page cache's two tables are dropped on
# purpose: the change log replaced them and took over their counts)
join -t $'\t' -v1 "$work/before.tsv" "$work/after.tsv" | cut -f1 > "$work/dropped.txt"
dropped=$(grep -v '^pagecache_' "$work/dropped.txt" || true)
changed=$(join -t $'\t' "$work/before.tsv" "$work/after.tsv" \
  | awk -F'\t' '$1 ~ /^(django_migrations|django_content_type|auth_permission)$/ {if ($3 < $2) print; next} $2 != $3 {print}')
awk -F'\t' '{s+=$2} END {print "== rows before (all tables):", s}' "$work/before.tsv"
awk -F'\t' '{s+=$2} END {print "== rows after (all tables): ", s}' "$work/after.tsv"
echo "== tables dropped on purpose: $(tr '\n' ' ' < "$work/dropped.txt")"
echo "== tables added: $(join -t $'\t' -v2 "$work/before.tsv" "$work/after.tsv" | cut -f1 | tr '\n' ' ')"
join -t $'\t' "$work/before.tsv" "$work/after.tsv" | grep -E "fieldvisit|household	|importbatch|districts_sage	|districts_forum	|content_type" || true
if [[ -n "$dropped" ]]; then
  echo "== tables lost:"; echo "$dropped"; exit 1
fi
if [[ -n "$changed" ]]; then
  echo "== tables whose count changed:"; echo "$changed"; exit 1
fi
echo "== every table the old database keeps has the same rows after migrating"
