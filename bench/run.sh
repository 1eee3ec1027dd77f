#!/usr/bin/env bash
# Benchmarks connect-standalone against kcat on one local Kafka-protocol
# broker: file to Kafka (source), Kafka to file (sink) and start-up to the
# first record (startup). See bench/README.md for how to read the output.
#
# Usage: bench/run.sh [--rounds N] [--lines N] [--only source,sink,startup]
#                     [--batch-size N] [--round-timeout S]
#                     [--worker-prop KEY=VALUE]...
set -euo pipefail
export LC_ALL=C
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds=5
lines=1000000
only=source,sink,startup
batch_size=10000
round_timeout=120 # seconds allowed for one side of one round
worker_props=()

usage() {
	cat <<'EOF'
Usage: bench/run.sh [options]

Starts one local broker (connect-standalone kafka) and runs, in rounds on
fresh topics:
  source   LINES lines of 100 bytes from a file into a topic: kcat -P against
           connect-standalone with FileStreamSource
  sink     the same lines from a topic into a file: kcat -C, a plain Go
           consumer (sarama) and connect-standalone with FileStreamSink
  startup  from exec of connect-standalone to its first record in the broker,
           idle memory, and the time it takes to exit on SIGTERM
It reports wall time, CPU time and peak memory per round, medians, and the
product targets.

Options:
  --rounds N              rounds of each benchmark (default 5)
  --lines N               lines in the input file (default 1000000)
  --only LIST             comma-separated benchmarks to run
                          (default source,sink,startup)
  --batch-size N          FileStreamSource batch.size (default 10000)
  --round-timeout S       give up when one side of a round takes longer
                          than S seconds (default 120)
  --worker-prop KEY=VAL   extra line for connect-standalone's worker file,
                          e.g. producer.linger.ms=5 (repeatable)
  -h, --help              show this help

Results are printed and written to bench/results/<date>.txt. The exit status
is 0 when the run completed, whether or not the targets were met.
EOF
}

while (($#)); do
	case $1 in
	--rounds | --lines | --only | --batch-size | --round-timeout | --worker-prop)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--rounds) rounds=$2 ;;
		--lines) lines=$2 ;;
		--only) only=$2 ;;
		--batch-size) batch_size=$2 ;;
		--round-timeout) round_timeout=$2 ;;
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
is_count "$rounds" || die "--rounds must be a positive integer"
is_count "$lines" || die "--lines must be a positive integer"
is_count "$batch_size" || die "--batch-size must be a positive integer"
is_count "$round_timeout" || die "--round-timeout must be a positive integer"
((BASH_VERSINFO[0] > 5 || BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1)) || die "needs bash 5.1 or later"
declare -A want=()
IFS=, read -r -a benches <<<"$only"
for b in "${benches[@]}"; do
	case $b in
	source | sink | startup) want[$b]=1 ;;
	*) die "--only takes source, sink and startup, got '$b'" ;;
	esac
done
((${#want[@]})) || die "--only names no benchmark"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connect-bench.XXXXXX")
bin=$tmp/connect-standalone
client=$tmp/benchclient
input=$tmp/input.txt
report=$tmp/report.txt
broker_pid=
ours_pid=
waiter_pid=
waited_us=

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
	rm -rf -- "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

out() { printf '%s\n' "$*" | tee -a "$report"; }

div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- tools ------------------------------------------------------------------

if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
	PATH=/usr/local/go/bin:$PATH
fi
command -v go >/dev/null || die "go not found (install Go, or put it in /usr/local/go)"
missing=()
command -v kcat >/dev/null || missing+=(kcat)
[[ -x /usr/bin/time ]] || missing+=(time)
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

echo "building connect-standalone and the Go consumer..." >&2
(cd "$root" && go build -trimpath -o "$bin" . && go build -trimpath -o "$client" ./bench/cmd/benchclient)

# --- broker -----------------------------------------------------------------

waiter_timeout=$round_timeout
start_broker

# write_worker FILE OFFSETS_FILE: a worker file with String converters.
write_worker() {
	local kv
	free_port
	{
		printf 'bootstrap.servers=%s\n' "$addr"
		printf 'key.converter=org.apache.kafka.connect.storage.StringConverter\n'
		printf 'value.converter=org.apache.kafka.connect.storage.StringConverter\n'
		printf 'offset.storage.file.filename=%s\n' "$2"
		printf 'offset.flush.interval.ms=1000\n'
		printf 'listeners=http://127.0.0.1:%s\n' "$port"
		for kv in "${worker_props[@]}"; do
			printf '%s\n' "$kv"
		done
	} >"$1"
}

# --- input ------------------------------------------------------------------

# write_lines N FILE: N lines of exactly 100 bytes, newline included.
write_lines() {
	awk -v n="$1" 'BEGIN {
		f = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		f = f f f
		for (i = 0; i < n; i++) printf "%09d %s\n", i, substr(f, i % 62 + 1, 89)
	}' >"$2"
}
echo "writing $lines lines to the input file..." >&2
write_lines "$lines" "$input"
input_bytes=$(stat -c %s "$input")
hz=$(getconf CLK_TCK)

# --- measuring processes ----------------------------------------------------

# timed NAME CMD...: runs CMD under /usr/bin/time within the round timeout;
# sets wall_s, cpu_s, rss_kb. A failure stops the run with NAME's log.
timed() {
	local name=$1 t0 t1 rc=0
	shift
	t0=$(now_us)
	timeout -k 5 "$round_timeout" /usr/bin/time -v -o "$tmp/$name.time" "$@" 2>"$tmp/$name.log" || rc=$?
	t1=$(now_us)
	if ((rc != 0)); then
		log_tail "$tmp/$name.log"
		((rc == 124)) && die "$name did not finish within $round_timeout s"
		die "$name exited with status $rc"
	fi
	wall_s=$(secs $((t1 - t0)))
	cpu_s=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/$name.time")
	rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/$name.time")
}

# sample_ours: sets cpu_s (user + system) and rss_kb (peak) of ours_pid so far.
sample_ours() {
	local stat f
	stat=$(cat "/proc/$ours_pid/stat" 2>/dev/null) || die "connect-standalone exited before it was stopped"
	read -r -a f <<<"${stat##*) }"
	cpu_s=$(awk -v u="${f[11]}" -v s="${f[12]}" -v hz="$hz" 'BEGIN { printf "%.2f", (u + s) / hz }')
	rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ours_pid/status")
}

# check_lines NAME FILE: FILE must be the input exactly. Extra lines from
# connect-standalone are a warning (duplicates); anything else fails the run.
check_lines() {
	local n
	n=$(wc -l <"$2")
	if ((n < lines)); then
		die "$1 wrote $n lines, want $lines"
	elif ((n > lines)); then
		[[ $1 == ours ]] || die "$1 wrote $n lines, want $lines"
		echo "warning: $1 wrote $n lines, want $lines (duplicates?)" >&2
	elif ! cmp -s "$2" "$input"; then
		die "$1 wrote $n lines that differ from the input"
	fi
}

# --- source: file to Kafka --------------------------------------------------

# source_kcat TOPIC: sets wall_s, cpu_s, rss_kb.
source_kcat() {
	local n
	timed kcat-p kcat -P -b "$addr" -t "$1" -l "$input" -X linger.ms=5 -X batch.num.messages=10000
	n=$(topic_count "$1")
	[[ $n == "$lines" ]] || die "kcat left $n records in $1, want $lines"
}

# source_ours ROUND TOPIC: sets wall_s, cpu_s, rss_kb, stop_s, exit_rc.
source_ours() {
	local round=$1 topic=$2 worker=$tmp/source-worker-$1.properties conn=$tmp/source-$1.properties
	local t1 n
	write_worker "$worker" "$tmp/source-$round.offsets"
	{
		printf 'name=bench-file-source-%s\n' "$round"
		printf 'connector.class=FileStreamSource\n'
		printf 'tasks.max=1\n'
		printf 'file=%s\n' "$input"
		printf 'topic=%s\n' "$topic"
		printf 'batch.size=%s\n' "$batch_size"
	} >"$conn"

	start_waiter wait-count -brokers "$addr" -topic "$topic" -n "$lines"
	start_ours "source-ours-$round" "$worker" "$conn"
	await_waiter "source-ours-$round" || die "connect-standalone did not fill $topic"
	t1=$waited_us
	# CPU time and peak memory so far, read before asking it to stop.
	sample_ours
	stop_ours
	n=$(topic_count "$topic")
	((n == lines)) || echo "warning: $topic holds $n records, want $lines (duplicates?)" >&2
	wall_s=$(secs $((t1 - t0)))
}

# --- sink: Kafka to file ----------------------------------------------------

# sink_ours ROUND TOPIC OUT: sets wall_s, cpu_s, rss_kb, stop_s, exit_rc.
sink_ours() {
	local round=$1 topic=$2 file=$3 worker=$tmp/sink-worker-$1.properties conn=$tmp/sink-$1.properties
	local t1
	write_worker "$worker" "$tmp/sink-$round.offsets"
	{
		# A new name each round: a new consumer group, read from the start.
		printf 'name=bench-file-sink-%s\n' "$round"
		printf 'connector.class=FileStreamSink\n'
		printf 'tasks.max=1\n'
		printf 'file=%s\n' "$file"
		printf 'topics=%s\n' "$topic"
	} >"$conn"

	start_waiter wait-size -path "$file" -n "$input_bytes"
	start_ours "sink-ours-$round" "$worker" "$conn"
	await_waiter "sink-ours-$round" || die "connect-standalone did not write $file"
	t1=$waited_us
	sample_ours
	stop_ours
	wall_s=$(secs $((t1 - t0)))
}

# --- startup: exec to the first record --------------------------------------

# startup_ours ROUND: sets first_ms, idle_kb, stop_s, exit_rc.
startup_ours() {
	local round=$1 topic=bench-startup-$1 worker=$tmp/startup-worker-$1.properties
	local conn=$tmp/startup-$1.properties one=$tmp/startup-$1.txt t1
	write_worker "$worker" "$tmp/startup-$round.offsets"
	write_lines 1 "$one"
	{
		printf 'name=bench-startup-source-%s\n' "$round"
		printf 'connector.class=FileStreamSource\n'
		printf 'tasks.max=1\n'
		printf 'file=%s\n' "$one"
		printf 'topic=%s\n' "$topic"
	} >"$conn"

	start_waiter wait-first -brokers "$addr" -topic "$topic"
	start_ours "startup-ours-$round" "$worker" "$conn"
	await_waiter "startup-ours-$round" || die "no first record from connect-standalone"
	t1=$waited_us
	first_ms=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e3 }')

	# Idle memory, about a second after the first record.
	sleep 1
	alive "$ours_pid" || {
		log_tail "$tmp/startup-ours-$round.log"
		die "connect-standalone exited while idle"
	}
	idle_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ours_pid/status")
	stop_ours
	delete_topics "$topic"
}

# --- report helpers ---------------------------------------------------------

# stats DECIMALS V...: "median min max" of the values.
stats() {
	local d=$1
	shift
	printf '%s\n' "$@" | sort -g | awk -v d="$d" '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		f = "%10." d "f"
		printf f " " f " " f, m, v[1], v[NR]
	}'
}
median() { stats 6 "$@" | awk '{ print $1 + 0 }'; }
per_million() {
	local v
	for v in "$@"; do
		awk -v c="$v" -v n="$lines" 'BEGIN { printf "%.4f\n", c * 1e6 / n }'
	done
}
rate() { awk -v n="$lines" -v b="$input_bytes" -v w="$1" 'BEGIN { printf "%.0f lines/s, %.1f MB/s", n / w, b / w / 1e6 }'; }

# target NAME VALUE OP LIMIT UNIT: one line of the targets table.
targets=()
target() {
	local met
	met=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {
		ok = (op == "<=") ? v <= l : (op == "<") ? v < l : 0
		print ok ? "met" : "MISSED"
	}')
	targets+=("$(printf '%-44s %10s %-5s %-6s %s' "$1" "$2$5" "$3" "$4$5" "$met")")
}

# --- run --------------------------------------------------------------------

over=$(printf '%-30s %10s %10s %10s' "over $rounds round$( ((rounds == 1)) || echo s)" median min max)

stamp=$(date +%Y-%m-%d-%H%M%S)
out "# connect-standalone benchmarks against kcat, $(date '+%Y-%m-%d %H:%M:%S %Z')"
out "commit:   $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
out "machine:  $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
out "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start"
out "memory:   $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
out "os:       $(awk -F= '$1 == "PRETTY_NAME" { gsub(/"/, "", $2); print $2 }' /etc/os-release 2>/dev/null || true), kernel $(uname -srm)"
out "go:       $(go version)"
out "kcat:     $(kcat -V 2>&1 | sed -n 's/^Version //p')"
out "broker:   connect-standalone kafka on $addr (one process for the whole run; each round's topics deleted after it)"
out "input:    $lines lines, $input_bytes bytes; $rounds round$( ((rounds == 1)) || echo s) of: ${only//,/, }"
out "ours:     StringConverter, offset.flush.interval.ms=1000${worker_props[*]:+, ${worker_props[*]}}"

if [[ -n ${want[source]:-} ]]; then
	out ""
	out "## source: file to Kafka"
	out "kcat: -P -l FILE -X linger.ms=5 -X batch.num.messages=10000"
	out "ours: FileStreamSource batch.size=$batch_size; done when the topic holds every line (benchclient wait-count: one connection, a look every 5 ms)"
	out ""
	out "round  order      kcat_wall_s kcat_cpu_s kcat_rss_mib ours_wall_s ours_cpu_s ours_rss_mib ours_stop_s ours_exit  ratio"
	declare -a skw skc skr sow soc sor sratio
	for ((r = 1; r <= rounds; r++)); do
		# Alternate which side goes first, so neither always meets the
		# broker in the same state.
		if ((r % 2)); then sides=(kcat ours); else sides=(ours kcat); fi
		for side in "${sides[@]}"; do
			echo "source round $r/$rounds: $side..." >&2
			if [[ $side == kcat ]]; then
				source_kcat "bench-source-kcat-$r"
				skw[r]=$wall_s skc[r]=$cpu_s skr[r]=$(mb "$rss_kb")
			else
				source_ours "$r" "bench-source-ours-$r"
				sow[r]=$wall_s soc[r]=$cpu_s sor[r]=$(mb "$rss_kb") ostop=$stop_s orc=$exit_rc
			fi
		done
		delete_topics "bench-source-kcat-$r" "bench-source-ours-$r"
		sratio[r]=$(div "${sow[r]}" "${skw[r]}")
		out "$(printf '%-6s %-10s %11s %10s %11s  %11s %10s %11s %11s %9s %6s' \
			"$r" "${sides[0]},${sides[1]}" "${skw[r]}" "${skc[r]}" "${skr[r]}" "${sow[r]}" "${soc[r]}" "${sor[r]}" "$ostop" "$orc" "${sratio[r]}")"
	done
	mapfile -t skcpm < <(per_million "${skc[@]}")
	mapfile -t socpm < <(per_million "${soc[@]}")
	out ""
	out "$over"
	out "kcat wall (s)                  $(stats 3 "${skw[@]}")"
	out "ours wall (s)                  $(stats 3 "${sow[@]}")"
	out "ratio ours/kcat (paired)       $(stats 2 "${sratio[@]}")"
	out "kcat CPU s per million lines   $(stats 2 "${skcpm[@]}")"
	out "ours CPU s per million lines   $(stats 2 "${socpm[@]}")"
	out "kcat peak RSS (MiB)            $(stats 1 "${skr[@]}")"
	out "ours peak RSS (MiB)            $(stats 1 "${sor[@]}")"
	out "kcat throughput at median wall: $(rate "$(median "${skw[@]}")")"
	out "ours throughput at median wall: $(rate "$(median "${sow[@]}")")"
	target "source: wall ours/kcat (median ratio)" "$(median "${sratio[@]}")" "<=" 1.25 x
	target "source: ours CPU s per million lines" "$(printf '%.2f' "$(median "${socpm[@]}")")" "<=" 1.5 ""
	target "source: ours peak RSS (MiB, median)" "$(printf '%.1f' "$(median "${sor[@]}")")" "<" 64 ""
fi

if [[ -n ${want[sink]:-} ]]; then
	out ""
	out "## sink: Kafka to file"
	out "kcat: -C -o beginning -e -q > FILE (exits at the end of the partition)"
	out "go:   bench/cmd/benchclient consume: sarama partition consumer, defaults, bufio to FILE"
	out "ours: FileStreamSink; done when the file holds every byte (benchclient wait-size: its size looked at every 5 ms)"
	out ""
	out "round  order          kcat_wall_s kcat_cpu_s kcat_rss_mib go_wall_s go_cpu_s go_rss_mib ours_wall_s ours_cpu_s ours_rss_mib ours_stop_s ours_exit ours/kcat ours/go"
	declare -a kkw kkc kkr kgw kgc kgr kow koc kor kratio gratio
	all=(kcat go ours)
	for ((r = 1; r <= rounds; r++)); do
		topic=bench-sink-$r
		echo "sink round $r/$rounds: filling $topic..." >&2
		timeout -k 5 "$round_timeout" kcat -P -b "$addr" -t "$topic" -l "$input" \
			-X linger.ms=5 -X batch.num.messages=10000 2>"$tmp/fill.log" || {
			log_tail "$tmp/fill.log"
			die "could not fill $topic"
		}
		n=$(topic_count "$topic")
		[[ $n == "$lines" ]] || die "$topic holds $n records after filling, want $lines"
		# Rotate the order: each side goes first, second and third in turn.
		sides=("${all[@]:(r - 1) % 3}" "${all[@]:0:(r - 1) % 3}")
		for side in "${sides[@]}"; do
			echo "sink round $r/$rounds: $side..." >&2
			file=$tmp/sink-$side-$r.txt
			case $side in
			kcat)
				# sh only sets up the redirection and becomes kcat.
				# shellcheck disable=SC2016 # expanded by sh, not here
				timed kcat-c sh -c 'exec kcat -C -b "$1" -t "$2" -o beginning -e -q >"$3"' kcat "$addr" "$topic" "$file"
				check_lines kcat "$file"
				kkw[r]=$wall_s kkc[r]=$cpu_s kkr[r]=$(mb "$rss_kb")
				;;
			go)
				timed go-consume "$client" consume -brokers "$addr" -topic "$topic" -out "$file"
				check_lines go "$file"
				kgw[r]=$wall_s kgc[r]=$cpu_s kgr[r]=$(mb "$rss_kb")
				;;
			ours)
				sink_ours "$r" "$topic" "$file"
				check_lines ours "$file"
				kow[r]=$wall_s koc[r]=$cpu_s kor[r]=$(mb "$rss_kb") ostop=$stop_s orc=$exit_rc
				;;
			esac
			rm -f -- "$file"
		done
		delete_topics "$topic"
		kratio[r]=$(div "${kow[r]}" "${kkw[r]}")
		gratio[r]=$(div "${kow[r]}" "${kgw[r]}")
		out "$(printf '%-6s %-14s %11s %10s %12s %9s %8s %10s %11s %10s %12s %11s %9s %9s %7s' \
			"$r" "${sides[0]},${sides[1]},${sides[2]}" "${kkw[r]}" "${kkc[r]}" "${kkr[r]}" "${kgw[r]}" "${kgc[r]}" "${kgr[r]}" \
			"${kow[r]}" "${koc[r]}" "${kor[r]}" "$ostop" "$orc" "${kratio[r]}" "${gratio[r]}")"
	done
	# What kcat and the Go consumer spend whatever the data: start-up, the
	# end of the partition, exit. Their walls include it; ours is timed to
	# the last byte written, not to its exit.
	echo "sink: fixed costs on a 1-record topic..." >&2
	head -n 1 "$input" | kcat -P -b "$addr" -t bench-sink-one 2>"$tmp/fill.log" || {
		log_tail "$tmp/fill.log"
		die "could not fill bench-sink-one"
	}
	# shellcheck disable=SC2016 # expanded by sh, not here
	timed kcat-c sh -c 'exec kcat -C -b "$1" -t "$2" -o beginning -e -q >"$3"' kcat "$addr" bench-sink-one "$tmp/one.txt"
	kone=$wall_s
	timed go-consume "$client" consume -brokers "$addr" -topic bench-sink-one -out "$tmp/one.txt"
	gone=$wall_s
	delete_topics bench-sink-one
	mapfile -t kkcpm < <(per_million "${kkc[@]}")
	mapfile -t kgcpm < <(per_million "${kgc[@]}")
	mapfile -t kocpm < <(per_million "${koc[@]}")
	out ""
	out "$over"
	out "kcat wall (s)                  $(stats 3 "${kkw[@]}")"
	out "go wall (s)                    $(stats 3 "${kgw[@]}")"
	out "ours wall (s)                  $(stats 3 "${kow[@]}")"
	out "ratio ours/kcat (paired)       $(stats 2 "${kratio[@]}")"
	out "ratio ours/go (paired)         $(stats 2 "${gratio[@]}")"
	out "kcat CPU s per million lines   $(stats 2 "${kkcpm[@]}")"
	out "go CPU s per million lines     $(stats 2 "${kgcpm[@]}")"
	out "ours CPU s per million lines   $(stats 2 "${kocpm[@]}")"
	out "kcat peak RSS (MiB)            $(stats 1 "${kkr[@]}")"
	out "go peak RSS (MiB)              $(stats 1 "${kgr[@]}")"
	out "ours peak RSS (MiB)            $(stats 1 "${kor[@]}")"
	out "kcat throughput at median wall: $(rate "$(median "${kkw[@]}")")"
	out "go throughput at median wall:   $(rate "$(median "${kgw[@]}")")"
	out "ours throughput at median wall: $(rate "$(median "${kow[@]}")")"
	out "fixed cost on a 1-record topic, in the walls above: kcat $kone s, go $gone s"
	target "sink: wall ours/kcat (median ratio)" "$(median "${kratio[@]}")" "<" 1 x
	target "sink: ours CPU s per million lines" "$(printf '%.2f' "$(median "${kocpm[@]}")")" "<=" 1.5 ""
	target "sink: ours peak RSS (MiB, median)" "$(printf '%.1f' "$(median "${kor[@]}")")" "<" 64 ""
fi

if [[ -n ${want[startup]:-} ]]; then
	out ""
	out "## startup: exec to the first record in the broker"
	out "ours: FileStreamSource on a 1-line file, fresh topic; first record seen by a waiting consumer"
	out ""
	out "round  first_record_ms idle_rss_mib stop_s exit"
	declare -a ufirst uidle ustop
	for ((r = 1; r <= rounds; r++)); do
		echo "startup round $r/$rounds..." >&2
		startup_ours "$r"
		ufirst[r]=$first_ms uidle[r]=$(mb "$idle_kb") ustop[r]=$stop_s
		out "$(printf '%-6s %15s %12s %6s %4s' "$r" "$first_ms" "${uidle[r]}" "$stop_s" "$exit_rc")"
	done
	out ""
	out "$over"
	out "first record (ms)              $(stats 1 "${ufirst[@]}")"
	out "idle RSS after 1 s (MiB)       $(stats 1 "${uidle[@]}")"
	out "exit after SIGTERM (s)         $(stats 2 "${ustop[@]}")"
	target "startup: first record (ms, median)" "$(printf '%.1f' "$(median "${ufirst[@]}")")" "<=" 50 ""
fi

out ""
out "## targets (informational)"
out "$(printf '%-44s %10s %-5s %-6s %s' target measured "" limit "")"
for t in "${targets[@]}"; do
	out "$t"
done
out ""
out "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
out "broker peak RSS: $(mb "$(awk '/^VmHWM:/ { print $2 }' "/proc/$broker_pid/status")") MiB"

mkdir -p "$root/bench/results"
cp "$report" "$root/bench/results/$stamp.txt"
echo "written to bench/results/$stamp.txt" >&2
