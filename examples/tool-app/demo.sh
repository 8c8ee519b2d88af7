#!/bin/sh
# demo.sh: the tool-app example (make demo builds it after the O2O one).
# Builds tool-app.db from nothing: a vocabulary app with a WeChat
# subscription account and a Weibo account, and prints its report.
#
#   demo.sh SRCDIR OUTDIR [--quiet]
#
# 1. generate.sql writes three and a half months of exports (CSV) to
#    OUTDIR/data: the subscription account's user and article analysis,
#    the Weibo post list and followers, the app's daily report and event log;
# 2. a new OUTDIR/tool-app.db gets schemas/growthops.sql, sql/views.sql and
#    the campaign (campaign.sql: phases on three accounts, goals, the app's
#    funnel, team, KPIs, budget by month);
# 3. sql/import/growthops-import imports the six files;
# 4. sql/scripts/plan.sql writes the targets down to days;
# 5. the report as of 15 June 2025 (examples/report.sh): the plan report, the Monday report of
#    the week of 9 June, the budget, May's evaluation and payouts, the
#    repeated misses, the Friday summary and the users week by week.
# Environment: SQLITE3 (default sqlite3), GROWTHOPS_MODULE (growthops.so).
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
quiet=${3:-}
sqlite3=${SQLITE3:-sqlite3}
module=${GROWTHOPS_MODULE:?set GROWTHOPS_MODULE to growthops.so}
export SQLITE3=$sqlite3 GROWTHOPS_MODULE=$module
ex=$src/examples/tool-app
db=$out/tool-app.db
import() { sh "$src/sql/import/growthops-import" "$@"; }
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
log "$(import wechat-users "$db" "$out/data/wechat-users.csv" 'Daily Words notes')"
log "$(import wechat-articles "$db" "$out/data/wechat-articles.csv" 'Daily Words notes')"
log "$(import weibo-posts "$db" "$out/data/weibo-posts.csv" 'Daily Words Weibo')"
log "$(import daily "$db" "$out/data/weibo-followers.csv" 'Daily Words Weibo')"
log "$(import daily "$db" "$out/data/app-daily.csv" 'Daily Words app')"
log "$(import events "$db" "$out/data/events.csv" 'Daily Words app')"
log "$("$sqlite3" -batch -bail -cmd ".load '$module'" "$db" ".parameter set :campaign 1" ".read '$src/sql/scripts/plan.sql'")"
log "built $db"
[ "$quiet" = --quiet ] && exit 0

sh "$src/examples/report.sh" "$src" "$db" 2025-06-09 2025-05
