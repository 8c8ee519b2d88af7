#!/bin/sh
# report.sh: what each example's demo.sh prints once its database is
# built: the toolkit's reports of campaign 1, in the order a team reads
# them (the plan report, the Monday report, the budget, the month's
# evaluation, the repeated misses, the Friday summary, the users week by
# week).
#
#   report.sh SRCDIR DATABASE WEEK MONTH
#
# WEEK is the Monday report's and Friday summary's week ('2025-08-25'),
# MONTH the evaluation's ('2025-08').  Environment: SQLITE3 (default
# sqlite3), GROWTHOPS_MODULE (growthops.so).
set -eu
src=$1 db=$2 week=$3 month=$4
"${SQLITE3:-sqlite3}" -batch -bail -cmd ".load '${GROWTHOPS_MODULE:?set GROWTHOPS_MODULE to growthops.so}'" "$db" <<SQL
.parameter set :campaign 1
.parameter set :week "'$week'"
.parameter set :month "'$month'"
.read '$src/sql/scripts/plan-report.sql'
.read '$src/sql/scripts/monday.sql'
.read '$src/sql/scripts/budget.sql'
.read '$src/sql/scripts/evaluation.sql'
.read '$src/sql/scripts/misses.sql'
.read '$src/sql/scripts/friday.sql'
.read '$src/sql/scripts/users.sql'
SQL
