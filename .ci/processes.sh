# Finds and ends the processes that carry a CI mark (EDGEKV_CI_RUN) in their environment; sourced by .ci/run.
# A mark covers the marks below it ("run/step"), so the run's mark ends every step's leftovers.

marked() { # mark: the pids whose environment carries it or a mark below it
  local environ pid entry
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
    { while IFS= read -r -d '' entry; do
      if [ "$entry" = "EDGEKV_CI_RUN=$1" ] || [[ "$entry" == "EDGEKV_CI_RUN=$1/"* ]]; then echo "$pid"; break; fi
    done < "$environ"; } 2>/dev/null # a process that is gone, or not ours to read
  done
}

end_marked() { # mark, what ended: ends (TERM, then KILL after five seconds) what still carries the mark
  [ -d /proc/self ] || return 0
  local left names pid
  left=$(marked "$1")
  [ -z "$left" ] && return 0
  names=$(for pid in $left; do cat "/proc/$pid/comm" 2>/dev/null; done | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
  echo "ci: ending $(echo "$left" | wc -w) processes left after $2: $names" >&2
  kill -TERM $left 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    left=$(marked "$1"); [ -z "$left" ] && return 0
    sleep 0.5
  done
  kill -KILL $left 2>/dev/null
}
