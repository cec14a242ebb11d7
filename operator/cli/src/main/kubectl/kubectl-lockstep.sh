#!/bin/sh
# kubectl-lockstep: the Lockstep kubectl plugin, one file. This shell stub is followed by the Lockstep
# jar; Java finds a jar's index at its end, so it runs the file as it is. Put the file on PATH and
# kubectl runs it for `kubectl lockstep ...`. Needs Java 17 or newer (JAVA_HOME, else java on PATH).
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$java" >/dev/null 2>&1; then
  echo "kubectl-lockstep: needs Java 17 or newer: put java on PATH or set JAVA_HOME" >&2
  exit 1
fi
# Usage and errors then read "kubectl lockstep ...", as the user typed it.
LOCKSTEP_INVOKED_AS=kubectl-lockstep
export LOCKSTEP_INVOKED_AS
# A short-lived command: quick start-up matters more than peak speed.
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto $LOCKSTEP_JAVA_OPTS -jar "$0" kubectl "$@"
