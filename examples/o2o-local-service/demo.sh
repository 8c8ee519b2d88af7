#!/bin/sh
# demo.sh: the main job (make demo).  Builds o2o.db from nothing, the method's
# O2O case end to end, and prints its plan report.
#
#   demo.sh SRCDIR OUTDIR [--quiet]
#
# 1. generate.sql writes six months of exports (CSV) to OUTDIR/data, and
#    the service's event log (events.csv, loaded into the events table);
# 2. a new OUTDIR/o2o.db gets schemas/growthops.sql, sql/views.sql and the
#    campaign (campaign.sql: phases, goals, channels, team, KPIs, budget);
# 3. sql/import/growthops-import imports the four exports and the event log;
# 4. channels.sql adds each channel's followers, sql/scripts/plan.sql writes
#    the targets down to days;
# 5. the report (examples/report.sh): sql/scripts/plan-report.sql, monday.sql, budget.sql,
#    evaluation.sql, misses.sql and friday.sql for campaign 1 as of 31
#    August 2025, and users.sql over the events (the weekly lifecycle,
#    cohorts, funnel).
# Environment: SQLITE3 (default sqlite3), GROWTHOPS_MODULE (growthops.so).
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
quiet=${3:-}
sqlite3=${SQLITE3:-sqlite3}
module=${GROWTHOPS_MODULE:?set GROWTHOPS_MODULE to growthops.so}
export SQLITE3=$sqlite3 GROWTHOPS_MODULE=$module
ex=$src/examples/o2o-local-service
db=$out/o2o.db
log() { [ "$quiet" = --quiet ] || echo "$@"; }

mkdir -p "$out/data"
(cd "$out/data" && "$sqlite3" -batch :memory: <"$ex/generate.sql")
rm -f "$db"
"$sqlite3" -batch -bail "$db" <<SQL
.load '$module'
.read '$src/schemas/growthops.sql'
.read '$src/sql/views.sql'
.read '$ex/campaign.sql'
SQL
for kind in wechat-users wechat-articles o2o-daily; do
  log "$(sh "$src/sql/import/growthops-import" $kind "$db" "$out/data/$kind.csv" 1)"
done
log "$(sh "$src/sql/import/growthops-import" weibo-posts "$db" "$out/data/weibo-posts.csv" 2)"
"$sqlite3" -batch -bail "$db" <"$ex/channels.sql"
sh "$src/sql/import/growthops-import" events "$db" "$out/data/events.csv" 1 >/dev/null
log "$("$sqlite3" -batch -bail "$db" "SELECT printf('events: events.csv: %,d events of %,d users from %s to %s', count(*), count(DISTINCT user_id), substr(min(ts), 1, 10), substr(max(ts), 1, 10)) FROM events")"
log "$("$sqlite3" -batch -bail -cmd ".load '$module'" "$db" ".parameter set :campaign 1" ".read '$src/sql/scripts/plan.sql'")"
log "built $db"
[ "$quiet" = --quiet ] && exit 0

sh "$src/examples/report.sh" "$src" "$db" 2025-08-25 2025-08
