#!/usr/bin/env bash
# Measures how fast lines of a file reach a local Kafka-protocol broker:
# kcat's producer (the baseline) against connect-standalone running the
# FileStreamSource connector. See bench/README.md for how to read the output.
#
# Usage: bench/source.sh [--rounds N] [--lines N] [--batch-size N]
#                        [--round-timeout S] [--worker-prop KEY=VALUE]...
set -euo pipefail
export LC_ALL=C

rounds=5
lines=1000000
batch_size=10000
round_timeout=120 # seconds allowed for one side of one round
poll_interval=0.05
worker_props=()

usage() {
	cat <<'EOF'
Usage: bench/source.sh [options]

Moves LINES lines of 100 bytes from a file into a local broker, alternately
with kcat and with connect-standalone (FileStreamSource), and reports wall
time, CPU time and peak memory of each, per round and as medians.

Options:
  --rounds N              rounds to run (default 5)
  --lines N               lines in the input file (default 1000000)
  --batch-size N          FileStreamSource batch.size (default 10000)
  --round-timeout S       give up when one side of a round takes longer
                          than S seconds (default 120)
  --worker-prop KEY=VAL   extra line for connect-standalone's worker file,
                          e.g. producer.linger.ms=5 (repeatable)
  -h, --help              show this help

Results are printed and written to bench/results/source-<date>.txt.
EOF
}

die() {
	printf 'source.sh: %s\n' "$*" >&2
	exit 1
}

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

while (($#)); do
	case $1 in
	--rounds | --lines | --batch-size | --round-timeout | --worker-prop)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--rounds) rounds=$2 ;;
		--lines) lines=$2 ;;
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
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or later"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connect-bench.XXXXXX")
bin=$tmp/connect-standalone
input=$tmp/input.txt
report=$tmp/report.txt
broker_pid=
ours_pid=

# alive PID: the process exists and has not exited (zombies do not count).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# stop PID GRACE_SECONDS: SIGTERM, then SIGKILL after the grace period.
stop_process() {
	local pid=$1 i
	[[ -n $pid ]] || return 0
	if alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < $2 * 20; i++)); do
			alive "$pid" || break
			sleep 0.05
		done
		if alive "$pid"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_process "$ours_pid" 5
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

# now_us prints the wall clock in microseconds.
now_us() {
	local t=$EPOCHREALTIME
	printf '%s\n' "${t/./}"
}

out() { printf '%s\n' "$*" | tee -a "$report"; }

log_tail() {
	printf -- '--- last lines of %s ---\n' "$1" >&2
	tail -n 20 "$1" >&2 || true
}

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

echo "building connect-standalone..." >&2
(cd "$root" && go build -trimpath -o "$bin" .)

# --- broker -----------------------------------------------------------------

# free_port sets port to a TCP port nothing listens on at 127.0.0.1, and
# never to the same port twice. It picks below the kernel's ephemeral range:
# a port held by some outgoing connection accepts nothing, yet cannot be bound.
used_ports=" "
free_port() {
	local i low=32768
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	((low > 11000)) || low=32768
	for ((i = 0; i < 200; i++)); do
		port=$((10000 + RANDOM % (low - 10000)))
		[[ $used_ports == *" $port "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			used_ports+="$port "
			return 0
		fi
	done
	die "no free port found on 127.0.0.1"
}

# write_worker FILE OFFSETS_FILE: a worker file with String converters.
write_worker() {
	free_port
	{
		printf 'bootstrap.servers=%s\n' "$addr"
		printf 'key.converter=org.apache.kafka.connect.storage.StringConverter\n'
		printf 'value.converter=org.apache.kafka.connect.storage.StringConverter\n'
		printf 'offset.storage.file.filename=%s\n' "$2"
		printf 'offset.flush.interval.ms=1000\n'
		printf 'listeners=http://127.0.0.1:%s\n' "$port"
	} >"$1"
}

free_port
addr=127.0.0.1:$port
write_worker "$tmp/broker.properties" "$tmp/broker.offsets"
echo "starting the broker on $addr..." >&2
"$bin" --embedded-kafka "$tmp/broker.properties" >"$tmp/broker.log" 2>&1 &
broker_pid=$!
deadline=$(($(now_us) + 30000000))
until kcat -L -b "$addr" -m 1 >/dev/null 2>&1; do
	if ! alive "$broker_pid"; then
		log_tail "$tmp/broker.log"
		die "the broker exited during start-up"
	fi
	if (($(now_us) > deadline)); then
		log_tail "$tmp/broker.log"
		die "the broker did not answer on $addr within 30 s"
	fi
	sleep 0.1
done

# topic_count TOPIC: the number of records in TOPIC (the sum of its
# partitions' high watermarks), 0 while it does not exist. Listing all topics
# never creates one; asking for a missing topic by name might.
declare -A partitions=()
topic_count() {
	local topic=$1 n p q args=()
	if [[ -z ${partitions[$topic]:-} ]]; then
		n=$(kcat -L -b "$addr" 2>/dev/null |
			sed -n "s/^ *topic \"$topic\" with \([0-9][0-9]*\) partitions.*/\1/p") || true
		if [[ -z $n || $n == 0 ]]; then
			echo 0
			return
		fi
		partitions[$topic]=$n
	fi
	for ((p = 0; p < partitions[$topic]; p++)); do
		args+=(-t "$topic:$p:-1")
	done
	q=$(kcat -Q -b "$addr" "${args[@]}" 2>/dev/null) || true
	awk '$(NF-1) == "offset" && $NF ~ /^[0-9]+$/ { s += $NF } END { print s + 0 }' <<<"$q"
}

# --- input ------------------------------------------------------------------

echo "writing $lines lines to the input file..." >&2
awk -v n="$lines" 'BEGIN {
	f = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	f = f f f
	for (i = 0; i < n; i++) printf "%09d %s\n", i, substr(f, i % 62 + 1, 89)
}' >"$input"
input_bytes=$(stat -c %s "$input")

# --- the two sides of a round -----------------------------------------------

# run_kcat TOPIC: sets wall_s, cpu_s, rss_kb.
run_kcat() {
	local topic=$1 t0 t1 rc=0 n
	t0=$(now_us)
	timeout -k 5 "$round_timeout" /usr/bin/time -v -o "$tmp/kcat.time" \
		kcat -P -b "$addr" -t "$topic" -l "$input" \
		-X linger.ms=5 -X batch.num.messages=10000 >"$tmp/kcat.log" 2>&1 || rc=$?
	t1=$(now_us)
	if ((rc != 0)); then
		log_tail "$tmp/kcat.log"
		((rc == 124)) && die "kcat did not finish within $round_timeout s"
		die "kcat exited with status $rc"
	fi
	n=$(topic_count "$topic")
	[[ $n == "$lines" ]] || die "kcat left $n records in $topic, want $lines"
	wall_s=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e6 }')
	cpu_s=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/kcat.time")
	rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/kcat.time")
}

# run_ours ROUND TOPIC: sets wall_s, cpu_s, rss_kb, stop_s, exit_rc.
run_ours() {
	local round=$1 topic=$2 worker=$tmp/ours-$1.properties conn=$tmp/source-$1.properties
	local t0 t1 t2 n=0 deadline stat f hz kv
	write_worker "$worker" "$tmp/ours-$round.offsets"
	for kv in "${worker_props[@]}"; do
		printf '%s\n' "$kv" >>"$worker"
	done
	{
		printf 'name=bench-file-source\n'
		printf 'connector.class=FileStreamSource\n'
		printf 'tasks.max=1\n'
		printf 'file=%s\n' "$input"
		printf 'topic=%s\n' "$topic"
		printf 'batch.size=%s\n' "$batch_size"
	} >"$conn"

	t0=$(now_us)
	"$bin" "$worker" "$conn" >"$tmp/ours-$round.log" 2>&1 &
	ours_pid=$!
	deadline=$((t0 + round_timeout * 1000000))
	while :; do
		if ! alive "$ours_pid"; then
			log_tail "$tmp/ours-$round.log"
			die "connect-standalone exited after $n of $lines records"
		fi
		n=$(topic_count "$topic")
		t1=$(now_us)
		((n >= lines)) && break
		if ((t1 > deadline)); then
			log_tail "$tmp/ours-$round.log"
			die "connect-standalone moved $n of $lines records in $round_timeout s"
		fi
		sleep "$poll_interval"
	done

	# CPU time and peak memory so far, read before asking it to stop.
	stat=$(cat "/proc/$ours_pid/stat" 2>/dev/null) || die "connect-standalone exited before it was stopped"
	read -r -a f <<<"${stat##*) }"
	hz=$(getconf CLK_TCK)
	cpu_s=$(awk -v u="${f[11]}" -v s="${f[12]}" -v hz="$hz" 'BEGIN { printf "%.2f", (u + s) / hz }')
	rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ours_pid/status")

	kill -TERM "$ours_pid"
	exit_rc=0
	deadline=$(($(now_us) + 30000000))
	while alive "$ours_pid" && (($(now_us) < deadline)); do
		sleep 0.01
	done
	t2=$(now_us)
	if alive "$ours_pid"; then
		kill -KILL "$ours_pid" 2>/dev/null || true
		exit_rc=killed
	fi
	wait "$ours_pid" 2>/dev/null || exit_rc=$?
	ours_pid=

	n=$(topic_count "$topic")
	((n == lines)) || echo "warning: $topic holds $n records, want $lines (duplicates?)" >&2
	wall_s=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e6 }')
	stop_s=$(awk -v d=$((t2 - t1)) 'BEGIN { printf "%.2f", d / 1e6 }')
}

# --- rounds -----------------------------------------------------------------

stamp=$(date +%Y-%m-%d-%H%M%S)
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

out "# connect-standalone file source benchmark, $(date '+%Y-%m-%d %H:%M:%S %Z')"
out "commit:   $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
out "machine:  $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
out "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start"
out "memory:   $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
out "os:       $(awk -F= '$1 == "PRETTY_NAME" { gsub(/"/, "", $2); print $2 }' /etc/os-release 2>/dev/null || true), kernel $(uname -srm)"
out "go:       $(go version)"
out "kcat:     $(kcat -V 2>&1 | sed -n 's/^Version //p')"
out "input:    $lines lines, $input_bytes bytes; broker: connect-standalone --embedded-kafka on $addr"
out "kcat:     -P -l FILE -X linger.ms=5 -X batch.num.messages=10000"
out "ours:     FileStreamSource batch.size=$batch_size, StringConverter, offset.flush.interval.ms=1000${worker_props[*]:+, ${worker_props[*]}}"
out ""
out "round  order      kcat_wall_s kcat_cpu_s kcat_rss_mib ours_wall_s ours_cpu_s ours_rss_mib ours_stop_s ours_exit  ratio"

declare -a kw kc kr ow oc or ratio
for ((r = 1; r <= rounds; r++)); do
	# Alternate which side goes first, so neither always meets the
	# broker with less data in memory.
	if ((r % 2)); then sides=(kcat ours); else sides=(ours kcat); fi
	order="${sides[0]},${sides[1]}"
	for side in "${sides[@]}"; do
		echo "round $r/$rounds: $side..." >&2
		if [[ $side == kcat ]]; then
			run_kcat "bench-kcat-$r"
			kw[r]=$wall_s kc[r]=$cpu_s kr[r]=$(mb "$rss_kb")
		else
			run_ours "$r" "bench-ours-$r"
			ow[r]=$wall_s oc[r]=$cpu_s or[r]=$(mb "$rss_kb") ostop=$stop_s orc=$exit_rc
		fi
	done
	ratio[r]=$(awk -v a="${ow[r]}" -v b="${kw[r]}" 'BEGIN { printf "%.2f", a / b }')
	out "$(printf '%-6s %-10s %11s %10s %11s  %11s %10s %11s %11s %9s %6s' \
		"$r" "$order" "${kw[r]}" "${kc[r]}" "${kr[r]}" "${ow[r]}" "${oc[r]}" "${or[r]}" "$ostop" "$orc" "${ratio[r]}")"
done

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
per_million() {
	local v out=()
	for v in "$@"; do
		out+=("$(awk -v c="$v" -v n="$lines" 'BEGIN { printf "%.4f", c * 1e6 / n }')")
	done
	printf '%s\n' "${out[@]}"
}
rate() { awk -v n="$lines" -v b="$input_bytes" -v w="$1" 'BEGIN { printf "%.0f lines/s, %.1f MB/s", n / w, b / w / 1e6 }'; }

mapfile -t kcpm < <(per_million "${kc[@]}")
mapfile -t ocpm < <(per_million "${oc[@]}")
kmed=$(stats 3 "${kw[@]}" | awk '{ print $1 }')
omed=$(stats 3 "${ow[@]}" | awk '{ print $1 }')
out ""
out "over $rounds rounds                    median        min        max"
out "kcat wall (s)                  $(stats 3 "${kw[@]}")"
out "ours wall (s)                  $(stats 3 "${ow[@]}")"
out "ratio ours/kcat (paired)       $(stats 2 "${ratio[@]}")"
out "kcat CPU s per million lines   $(stats 2 "${kcpm[@]}")"
out "ours CPU s per million lines   $(stats 2 "${ocpm[@]}")"
out "kcat peak RSS (MiB)            $(stats 1 "${kr[@]}")"
out "ours peak RSS (MiB)            $(stats 1 "${or[@]}")"
out ""
out "kcat throughput at median wall: $(rate "$kmed")"
out "ours throughput at median wall: $(rate "$omed")"
out "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
out "broker peak RSS: $(mb "$(awk '/^VmHWM:/ { print $2 }' "/proc/$broker_pid/status")") MiB"

mkdir -p "$root/bench/results"
cp "$report" "$root/bench/results/source-$stamp.txt"
echo "written to bench/results/source-$stamp.txt" >&2
