# Shared by the benchmark scripts, which source it: processes, the broker,
# the waiters and formatting. It uses the caller's globals tmp (a scratch
# directory), bin (connect-standalone), client (benchclient) and
# waiter_timeout (seconds), and sets the ones each function names.

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

# alive PID: the process exists and has not exited (zombies do not count).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# stop_process PID GRACE_SECONDS: SIGTERM, then SIGKILL after the grace period.
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

# now_us prints the wall clock in microseconds.
now_us() {
	local t=$EPOCHREALTIME
	printf '%s\n' "${t/./}"
}

log_tail() {
	printf -- '--- last lines of %s ---\n' "$1" >&2
	tail -n 20 "$1" >&2 || true
}

secs() { awk -v d="$1" 'BEGIN { printf "%.3f", d / 1e6 }'; }

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

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

# delete_topics TOPIC...: frees the broker's memory between rounds.
delete_topics() {
	timeout -k 5 60 "$client" delete-topics -brokers "$addr" "$@" >/dev/null 2>"$tmp/delete.log" || {
		log_tail "$tmp/delete.log"
		die "could not delete topics $*"
	}
}

# start_ours NAME WORKER CONNECTOR: starts connect-standalone in the
# background; sets t0 (µs, just before exec) and ours_pid.
start_ours() {
	local t=$EPOCHREALTIME # no command substitution: no fork before exec
	t0=${t/./}
	"$bin" "$2" "$3" >"$tmp/$1.log" 2>&1 &
	ours_pid=$!
}

# start_waiter MODE ARGS...: starts benchclient MODE (wait-first, wait-count,
# wait-size or wait-rows) with ARGS and returns once it is watching.
start_waiter() {
	local mode=$1 deadline
	shift
	: >"$tmp/waiter.out"
	"$client" "$mode" -timeout "${waiter_timeout}s" "$@" \
		>"$tmp/waiter.out" 2>"$tmp/waiter.log" &
	waiter_pid=$!
	deadline=$(($(now_us) + 30000000))
	until grep -qx ready "$tmp/waiter.out"; do
		if ! alive "$waiter_pid" || (($(now_us) > deadline)); then
			log_tail "$tmp/waiter.log"
			die "the $mode waiter did not get ready"
		fi
		sleep 0.01
	done
	# Let the waiter's own start-up (its consumer's first fetch, the new
	# topic's creation in the broker) finish: on two cores it would
	# otherwise compete with the process being measured.
	sleep 0.25
}

# await_waiter LOG: sets waited_us to the time (µs since the epoch) the
# waiter reported. Fails, showing the logs, if the waiter fails or
# connect-standalone (whose log is $tmp/LOG.log) exits first.
await_waiter() {
	local rc=0 ended=
	# Sleeps until one of the two exits: no polling competes for the CPU.
	wait -n -p ended "$waiter_pid" "$ours_pid" || rc=$?
	if [[ $ended != "$waiter_pid" ]]; then
		stop_process "$waiter_pid" 2
		waiter_pid=
		log_tail "$tmp/$1.log"
		echo "connect-standalone exited (status $rc) before the waiter saw what it waits for" >&2
		return 1
	fi
	waiter_pid=
	if ((rc != 0)); then
		log_tail "$tmp/waiter.log"
		log_tail "$tmp/$1.log"
		return 1
	fi
	waited_us=$(sed -n 2p "$tmp/waiter.out")
	[[ $waited_us =~ ^[0-9]+$ ]] || {
		echo "the waiter printed '$waited_us', want microseconds" >&2
		return 1
	}
}

# stop_ours: SIGTERM, then waits up to 30 s; sets stop_s and exit_rc.
stop_ours() {
	local t1 t2 deadline
	t1=$(now_us)
	kill -TERM "$ours_pid"
	exit_rc=0
	deadline=$((t1 + 30000000))
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
	stop_s=$(awk -v d=$((t2 - t1)) 'BEGIN { printf "%.2f", d / 1e6 }')
}

# start_broker starts one broker for the whole run, a process of its own so
# that its CPU time is counted for no client, and sets broker_pid and addr,
# the address it prints.
start_broker() {
	local deadline
	free_port
	echo "starting the broker (connect-standalone kafka)..." >&2
	"$bin" kafka --listen "127.0.0.1:$port" >"$tmp/broker.out" 2>"$tmp/broker.log" &
	broker_pid=$!
	addr=
	deadline=$(($(now_us) + 30000000))
	while [[ -z $addr ]]; do
		addr=$(sed -n 's/^listening on //p' "$tmp/broker.out")
		[[ -n $addr ]] && break
		if ! alive "$broker_pid"; then
			log_tail "$tmp/broker.log"
			die "the broker exited during start-up"
		fi
		if (($(now_us) > deadline)); then
			log_tail "$tmp/broker.log"
			die "the broker printed no address within 30 s"
		fi
		sleep 0.02
	done
}
