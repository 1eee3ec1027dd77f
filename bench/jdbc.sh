#!/usr/bin/env bash
# Benchmarks the JDBC connectors of connect-standalone on a local PostgreSQL
# and a local Kafka-protocol broker: a table into a topic (source), that
# topic into new tables (sink), and whether the source's memory grows with
# the table (memory). See bench/README.md for how to read the output.
#
# Usage: bench/jdbc.sh [--rows N] [--batch-max-rows LIST] [--batch-size N]
#                      [--insert-modes LIST] [--memory-rows N]
#                      [--only source,sink,memory] [--pg-port P] [--pg-user U]
#                      [--run-timeout S] [--worker-prop KEY=VALUE]...
set -euo pipefail
export LC_ALL=C
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rows=1000000
batch_max_rows=100,1000
batch_size=3000
insert_modes=insert,upsert
memory_rows=3000000
only=source,sink,memory
pg_host=127.0.0.1 # everything stays on this machine
pg_port=5432
pg_user=postgres
run_timeout=300 # seconds allowed for one run of connect-standalone
worker_props=()

usage() {
	cat <<'EOF'
Usage: bench/jdbc.sh [options]

Starts one local broker (connect-standalone kafka), creates a new database
on the local PostgreSQL, fills a table with ROWS small rows and runs
connect-standalone with:
  source   JdbcSourceConnector, mode=incrementing, once per batch.max.rows
           value: from exec until the topic holds every row
  sink     JdbcSinkConnector, auto.create=true, once per insert mode, from
           the topic of the first source run into a new table: from exec
           until SELECT count(*) returns every row
  memory   the source (first batch.max.rows value) and the sink (first
           insert mode) again on a table of MEMORY_ROWS rows, to compare
           their peak memory with the ROWS runs
It reports wall time, rows/s, CPU time and peak memory of connect-standalone
and the CPU time of its PostgreSQL sessions.

Options:
  --rows N                rows in the table (default 1000000)
  --batch-max-rows LIST   comma-separated batch.max.rows values for the
                          source (default 100,1000; 100 is the connector's
                          default)
  --batch-size N          sink batch.size (default 3000, the connector's)
  --insert-modes LIST     comma-separated sink insert.mode values, of insert
                          and upsert (default insert,upsert)
  --memory-rows N         rows in the memory check's table (default 3000000)
  --only LIST             comma-separated benchmarks to run
                          (default source,sink,memory; sink needs source)
  --pg-port P             PostgreSQL port on 127.0.0.1 (default 5432)
  --pg-user U             PostgreSQL user, a superuser with trust or
                          .pgpass authentication (default postgres)
  --run-timeout S         give up when one run takes longer than S seconds
                          (default 300)
  --worker-prop KEY=VAL   extra line for connect-standalone's worker file,
                          e.g. consumer.max.poll.records=3000 (repeatable)
  -h, --help              show this help

Results are printed and written to bench/results/jdbc-<date>.txt. The exit
status is 0 when the run completed.
EOF
}

while (($#)); do
	case $1 in
	--rows | --batch-max-rows | --batch-size | --insert-modes | --memory-rows | --only | --pg-port | --pg-user | --run-timeout | --worker-prop)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--rows) rows=$2 ;;
		--batch-max-rows) batch_max_rows=$2 ;;
		--batch-size) batch_size=$2 ;;
		--insert-modes) insert_modes=$2 ;;
		--memory-rows) memory_rows=$2 ;;
		--only) only=$2 ;;
		--pg-port) pg_port=$2 ;;
		--pg-user) pg_user=$2 ;;
		--run-timeout) run_timeout=$2 ;;
		--worker-prop)
			[[ $2 == *=* ]] || die "--worker-prop wants KEY=VALUE, got $2"
			worker_props+=("$2")
			;;
		esac
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
is_count "$rows" || die "--rows must be a positive integer"
is_count "$batch_size" || die "--batch-size must be a positive integer"
is_count "$memory_rows" || die "--memory-rows must be a positive integer"
is_count "$pg_port" || die "--pg-port must be a positive integer"
is_count "$run_timeout" || die "--run-timeout must be a positive integer"
[[ $pg_user =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--pg-user must be a plain identifier"
IFS=, read -r -a bmrs <<<"$batch_max_rows"
((${#bmrs[@]})) || die "--batch-max-rows names no value"
for b in "${bmrs[@]}"; do
	is_count "$b" || die "--batch-max-rows takes positive integers, got '$b'"
done
IFS=, read -r -a modes <<<"$insert_modes"
((${#modes[@]})) || die "--insert-modes names no mode"
for m in "${modes[@]}"; do
	[[ $m == insert || $m == upsert ]] || die "--insert-modes takes insert and upsert, got '$m'"
done
((BASH_VERSINFO[0] > 5 || BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1)) || die "needs bash 5.1 or later"
declare -A want=()
IFS=, read -r -a benches <<<"$only"
for b in "${benches[@]}"; do
	case $b in
	source | sink | memory) want[$b]=1 ;;
	*) die "--only takes source, sink and memory, got '$b'" ;;
	esac
done
((${#want[@]})) || die "--only names no benchmark"
[[ -z ${want[sink]:-} || -n ${want[source]:-} ]] || die "sink reads the topic the source fills: --only sink needs source too"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connect-bench-jdbc.XXXXXX")
bin=$tmp/connect-standalone
client=$tmp/benchclient
report=$tmp/report.txt
# A database of its own, dropped at exit: nothing else on the server is
# touched.
db=bench_jdbc_$$_$RANDOM
db_created=
broker_pid=
ours_pid=
waiter_pid=
waited_us=

# psql_admin ARGS...: psql on the server's maintenance database.
psql_admin() {
	psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -X -q -At -v ON_ERROR_STOP=1 "$@"
}

# sql STATEMENT...: runs statements in the benchmark's database and prints
# the rows, fields separated by |.
sql() {
	local args=() s
	for s in "$@"; do
		args+=(-c "$s")
	done
	psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -X -q -At -v ON_ERROR_STOP=1 "${args[@]}"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_process "$ours_pid" 5
	stop_process "$waiter_pid" 2
	stop_process "$broker_pid" 10
	local pid
	for pid in $(jobs -p); do
		stop_process "$pid" 2
	done
	if [[ -n $db_created ]]; then
		psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 ||
			echo "jdbc.sh: could not drop database $db; drop it with: psql -h $pg_host -p $pg_port -U $pg_user -c 'DROP DATABASE $db WITH (FORCE)'" >&2
	fi
	rm -rf -- "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

out() { printf '%s\n' "$*" | tee -a "$report"; }

# --- tools ------------------------------------------------------------------

if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi
command -v go >/dev/null || die "go not found (install Go, or put it in /usr/local/go)"
missing=()
command -v kcat >/dev/null || missing+=(kcat)
command -v psql >/dev/null || missing+=(postgresql-client)
if ((${#missing[@]})); then
	if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
		echo "installing ${missing[*]} with apt-get..." >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null
		apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		die "missing ${missing[*]}; on Debian or Ubuntu: sudo apt-get install -y ${missing[*]}"
	fi
fi

server_version=$(psql_admin -c 'SHOW server_version' 2>"$tmp/psql.log") || {
	log_tail "$tmp/psql.log"
	die "PostgreSQL does not answer at $pg_host:$pg_port as $pg_user"
}
[[ $(psql_admin -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user') == t ]] ||
	die "$pg_user is not a superuser (needed for CHECKPOINT and to read other sessions' pids)"

# The build raises the 1-minute load average: read it before.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "building connect-standalone and benchclient..." >&2
(cd "$root" && go build -trimpath -o "$bin" . && go build -trimpath -o "$client" ./bench/cmd/benchclient)

# --- broker -----------------------------------------------------------------

waiter_timeout=$run_timeout
start_broker

# write_worker FILE OFFSETS_FILE: a worker file with JsonConverter and
# schemas, as examples/connect-standalone.properties.
write_worker() {
	local kv
	free_port
	{
		printf 'bootstrap.servers=%s\n' "$addr"
		printf 'key.converter=org.apache.kafka.connect.json.JsonConverter\n'
		printf 'value.converter=org.apache.kafka.connect.json.JsonConverter\n'
		printf 'key.converter.schemas.enable=true\n'
		printf 'value.converter.schemas.enable=true\n'
		printf 'offset.storage.file.filename=%s\n' "$2"
		printf 'offset.flush.interval.ms=1000\n'
		printf 'listeners=http://127.0.0.1:%s\n' "$port"
		for kv in "${worker_props[@]}"; do
			printf '%s\n' "$kv"
		done
	} >"$1"
}

# first_value_bytes TOPIC: the size of the first record's value in TOPIC.
first_value_bytes() {
	kcat -C -b "$addr" -t "$1" -o beginning -c 1 -e -q -f '%S' 2>/dev/null || echo '?'
}

# --- database ---------------------------------------------------------------

psql_admin -c "CREATE DATABASE $db" >/dev/null
db_created=1
jdbc_url="jdbc:postgresql://$pg_host:$pg_port/$db"
dsn="host=$pg_host port=$pg_port user=$pg_user dbname=$db sslmode=disable"

# fill TABLE N: creates TABLE with N rows in one INSERT ... SELECT
# generate_series, then analyzes it and checkpoints, so that neither
# autovacuum's analyze nor a checkpoint falls into a measured run; sets
# fill_s.
fill() {
	local t1 t0
	t0=$(now_us)
	sql "CREATE TABLE $1 (id bigserial PRIMARY KEY, name text NOT NULL, amount numeric(10,2) NOT NULL, created timestamp NOT NULL)" \
		"INSERT INTO $1 (name, amount, created)
		 SELECT 'name-' || i, (i % 100000) / 100.0, timestamp '2024-01-01' + i * interval '1 second'
		 FROM generate_series(1, $2) AS i" \
		"VACUUM ANALYZE $1" \
		"CHECKPOINT" >/dev/null
	t1=$(now_us)
	fill_s=$(secs $((t1 - t0)))
}

# checksum TABLE: count, sum of ids and sum of amounts, to compare a sink
# table with the source table.
checksum() { sql "SELECT count(*), sum(id), sum(amount) FROM $1"; }

# --- measuring connect-standalone ---------------------------------------------

hz=$(getconf CLK_TCK)

# proc_cpu PID: CPU seconds (user + system) of PID so far, empty if gone.
proc_cpu() {
	local stat f
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	read -r -a f <<<"${stat##*) }"
	awk -v u="${f[11]}" -v s="${f[12]}" -v hz="$hz" 'BEGIN { printf "%.2f", (u + s) / hz }'
}

# sample_ours: sets cpu_s (user + system) and rss_kb (peak) of ours_pid so
# far, and db_cpu_s, the CPU time of the server processes of its sessions
# (every client session on the database but the waiter's and this query's;
# autovacuum is not counted).
sample_ours() {
	local pid c
	alive "$ours_pid" || die "connect-standalone exited before it was stopped"
	cpu_s=$(proc_cpu "$ours_pid")
	rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ours_pid/status")
	db_cpu_s=0
	for pid in $(sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
		AND backend_type = 'client backend' AND pid <> pg_backend_pid()
		AND application_name <> 'benchclient'"); do
		c=$(proc_cpu "$pid")
		[[ -n $c ]] && db_cpu_s=$(awk -v a="$db_cpu_s" -v b="$c" 'BEGIN { printf "%.2f", a + b }')
	done
}

# --- source: table to Kafka -------------------------------------------------

# source_ours NAME TABLE N BATCH_MAX_ROWS: copies TABLE (N rows) into the
# topic bench-NAME-TABLE; sets topic, wall_s, cpu_s, rss_kb, db_cpu_s,
# stop_s, exit_rc.
source_ours() {
	local name=$1 table=$2 n=$3 bmr=$4 worker=$tmp/$1-worker.properties conn=$tmp/$1.properties
	local t1 have
	topic=bench-$name-$table
	write_worker "$worker" "$tmp/$name.offsets"
	{
		printf 'name=bench-jdbc-%s\n' "$name"
		printf 'connector.class=io.confluent.connect.jdbc.JdbcSourceConnector\n'
		printf 'tasks.max=1\n'
		printf 'connection.url=%s\n' "$jdbc_url"
		printf 'connection.user=%s\n' "$pg_user"
		printf 'mode=incrementing\n'
		printf 'incrementing.column.name=id\n'
		printf 'table.whitelist=%s\n' "$table"
		printf 'topic.prefix=bench-%s-\n' "$name"
		printf 'batch.max.rows=%s\n' "$bmr"
	} >"$conn"

	start_waiter wait-count -brokers "$addr" -topic "$topic" -n "$n"
	start_ours "$name" "$worker" "$conn"
	await_waiter "$name" || die "connect-standalone did not fill $topic"
	t1=$waited_us
	# CPU time and peak memory so far, read before asking it to stop.
	sample_ours
	stop_ours
	have=$(topic_count "$topic")
	((have == n)) || echo "warning: $topic holds $have records, want $n (duplicates?)" >&2
	wall_s=$(secs $((t1 - t0)))
}

# --- sink: Kafka to a table -------------------------------------------------

# sink_ours NAME TOPIC N MODE TABLE: writes TOPIC (N records) into the new
# table TABLE with insert.mode MODE; sets wall_s, cpu_s, rss_kb, db_cpu_s,
# stop_s, exit_rc, and adds to counts how many counts the waiter ran.
counts=()
sink_ours() {
	local name=$1 topic=$2 n=$3 mode=$4 table=$5 worker=$tmp/$1-worker.properties conn=$tmp/$1.properties
	local t1
	write_worker "$worker" "$tmp/$name.offsets"
	{
		# A new name each run: a new consumer group, read from the start.
		printf 'name=bench-jdbc-%s\n' "$name"
		printf 'connector.class=io.confluent.connect.jdbc.JdbcSinkConnector\n'
		printf 'tasks.max=1\n'
		printf 'topics=%s\n' "$topic"
		printf 'connection.url=%s\n' "$jdbc_url"
		printf 'connection.user=%s\n' "$pg_user"
		printf 'table.name.format=%s\n' "$table"
		printf 'auto.create=true\n'
		printf 'insert.mode=%s\n' "$mode"
		if [[ $mode == upsert ]]; then
			printf 'pk.mode=record_value\n'
			printf 'pk.fields=id\n'
		fi
		printf 'batch.size=%s\n' "$batch_size"
	} >"$conn"

	# A missing table counts as empty: auto.create makes it.
	start_waiter wait-rows -dsn "$dsn" -query "SELECT count(*) FROM $table" -n "$n"
	start_ours "$name" "$worker" "$conn"
	await_waiter "$name" || die "connect-standalone did not fill table $table"
	t1=$waited_us
	sample_ours
	stop_ours
	wall_s=$(secs $((t1 - t0)))
	counts+=("$(sed -n 's/^queries: //p' "$tmp/waiter.log") for $table")
}

# --- report helpers ---------------------------------------------------------

# row LABEL ROWS BATCH: one line of the results table from the last run.
header=$(printf '%-22s %9s %6s %9s %9s %7s %10s %8s %9s %7s %5s' \
	run rows batch wall_s rows_per_s cpu_s cpu_s_per_M rss_mib db_cpu_s stop_s exit)
row() {
	local rate per_m
	rate=$(awk -v n="$2" -v w="$wall_s" 'BEGIN { printf "%.0f", n / w }')
	per_m=$(awk -v n="$2" -v c="$cpu_s" 'BEGIN { printf "%.2f", c * 1e6 / n }')
	out "$(printf '%-22s %9s %6s %9s %9s %7s %10s %8s %9s %7s %5s' \
		"$1" "$2" "$3" "$wall_s" "$rate" "$cpu_s" "$per_m" "$(mb "$rss_kb")" "$db_cpu_s" "$stop_s" "$exit_rc")"
}

# compare WHAT RSS_KB_ROWS RSS_KB_MEMORY_ROWS: one line on how peak memory
# moved from the ROWS run to the MEMORY_ROWS run.
compare() {
	if [[ -z $2 ]]; then
		out "$(printf '%-34s %s MiB at %s rows (run source and sink for the comparison)' "$1 peak RSS" "$(mb "$3")" "$memory_rows")"
		return
	fi
	out "$(printf '%-34s %7s MiB at %9s rows, %7s MiB at %9s rows: x%s' "$1 peak RSS" \
		"$(mb "$2")" "$rows" "$(mb "$3")" "$memory_rows" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", b / a }')")"
}

# --- run --------------------------------------------------------------------

stamp=$(date +%Y-%m-%d-%H%M%S)
out "# connect-standalone JDBC connectors on PostgreSQL, $(date '+%Y-%m-%d %H:%M:%S %Z')"
out "commit:   $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
out "machine:  $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
out "load:     $load_before (1, 5, 15 min) before the build, $(cut -d' ' -f1-3 /proc/loadavg) after it"
out "memory:   $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
out "os:       $(awk -F= '$1 == "PRETTY_NAME" { gsub(/"/, "", $2); print $2 }' /etc/os-release 2>/dev/null || true), kernel $(uname -srm)"
out "go:       $(go version)"
out "postgres: $server_version on $pg_host:$pg_port, database $db (dropped at exit)"
out "broker:   connect-standalone kafka on $addr (one process for the whole run)"
out "ours:     JsonConverter with schemas (keys and values), offset.flush.interval.ms=1000${worker_props[*]:+, ${worker_props[*]}}"
out "table:    id bigserial PRIMARY KEY, name text, amount numeric(10,2), created timestamp; filled by one INSERT ... SELECT generate_series, then VACUUM ANALYZE and CHECKPOINT"

declare -A src_rss=() snk_rss=()
src_topic=

if [[ -n ${want[source]:-} || -n ${want[sink]:-} ]]; then
	echo "filling table src with $rows rows..." >&2
	fill src "$rows"
	out "fill:     src, $rows rows in $fill_s s ($(sql "SELECT pg_size_pretty(pg_total_relation_size('src'))") with its index)"
	want_sum=$(checksum src)
fi

if [[ -n ${want[source]:-} ]]; then
	out ""
	out "## source: table to Kafka"
	out "JdbcSourceConnector mode=incrementing incrementing.column.name=id table.whitelist=src; done when the topic holds every row (benchclient wait-count, a look every 5 ms)"
	out ""
	out "$header"
	for bmr in "${bmrs[@]}"; do
		echo "source, batch.max.rows=$bmr..." >&2
		source_ours "source-$bmr" src "$rows" "$bmr"
		row "source" "$rows" "$bmr"
		src_rss[$bmr]=$rss_kb
		if [[ -z $src_topic ]]; then
			src_topic=$topic # the sink reads the first one
			src_bytes=$(first_value_bytes "$topic")
		else
			delete_topics "$topic"
		fi
	done
	out ""
	out "one record's value in $src_topic: $src_bytes bytes of JSON (schema and payload)"
fi

if [[ -n ${want[sink]:-} ]]; then
	out ""
	out "## sink: Kafka to a new table"
	out "JdbcSinkConnector auto.create=true batch.size=$batch_size from $src_topic; upsert with pk.mode=record_value pk.fields=id; done when SELECT count(*) returns every row (benchclient wait-rows, see README)"
	out ""
	out "$header"
	for mode in "${modes[@]}"; do
		echo "sink, insert.mode=$mode..." >&2
		sink_ours "sink-$mode" "$src_topic" "$rows" "$mode" "sink_$mode"
		row "sink $mode" "$rows" "$batch_size"
		snk_rss[$mode]=$rss_kb
		got=$(checksum "sink_$mode")
		[[ $got == "$want_sum" ]] || die "sink_$mode holds (count|sum(id)|sum(amount)) $got, want $want_sum"
		sql "DROP TABLE sink_$mode" >/dev/null
	done
fi
if [[ -n $src_topic ]]; then
	delete_topics "$src_topic"
	sql "DROP TABLE src" "CHECKPOINT" >/dev/null
fi

if [[ -n ${want[memory]:-} ]]; then
	bmr=${bmrs[0]} mode=${modes[0]}
	out ""
	out "## memory: the same with $memory_rows rows"
	echo "filling table big with $memory_rows rows..." >&2
	fill big "$memory_rows"
	out "fill:     big, $memory_rows rows in $fill_s s ($(sql "SELECT pg_size_pretty(pg_total_relation_size('big'))") with its index)"
	want_sum=$(checksum big)
	out ""
	out "$header"
	echo "memory: source, batch.max.rows=$bmr, $memory_rows rows..." >&2
	source_ours "memory-source-$bmr" big "$memory_rows" "$bmr"
	row "source" "$memory_rows" "$bmr"
	big_src_rss=$rss_kb big_topic=$topic
	echo "memory: sink, insert.mode=$mode, $memory_rows rows..." >&2
	sink_ours "memory-sink-$mode" "$big_topic" "$memory_rows" "$mode" "big_$mode"
	row "sink $mode" "$memory_rows" "$batch_size"
	big_snk_rss=$rss_kb
	got=$(checksum "big_$mode")
	[[ $got == "$want_sum" ]] || die "big_$mode holds (count|sum(id)|sum(amount)) $got, want $want_sum"
	delete_topics "$big_topic"
	sql "DROP TABLE big_$mode" "DROP TABLE big" >/dev/null

	out ""
	compare "source batch.max.rows=$bmr" "${src_rss[$bmr]:-}" "$big_src_rss"
	compare "sink insert.mode=$mode" "${snk_rss[$mode]:-}" "$big_snk_rss"
	out "memory is bounded when the ratios stay near 1 while the rows grow x$(awk -v a="$rows" -v b="$memory_rows" 'BEGIN { printf "%.1f", b / a }')"
fi

if ((${#counts[@]})); then
	out ""
	out "SELECT count(*) run by the sink's waiter: $(printf '%s, ' "${counts[@]}" | sed 's/, $//')"
fi
out ""
out "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
out "broker peak RSS: $(mb "$(awk '/^VmHWM:/ { print $2 }' "/proc/$broker_pid/status")") MiB"

mkdir -p "$root/bench/results"
cp "$report" "$root/bench/results/jdbc-$stamp.txt"
echo "written to bench/results/jdbc-$stamp.txt" >&2
