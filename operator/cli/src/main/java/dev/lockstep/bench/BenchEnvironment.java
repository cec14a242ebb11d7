package dev.lockstep.bench;

/**
 * Where a run measured: what its figures depend on besides the code.
 *
 * @param server e.g. {@code PostgreSQL 14.22}
 * @param database {@code embedded} or {@code external}
 * @param synchronousCommit the server's {@code synchronous_commit}: with {@code off}, commits do not
 *     wait for the disk
 * @param cores processors of this machine, where the load (and an embedded server) runs
 * @param loadAverageAtStart this machine's load average over the last minute when the run started;
 *     negative when the system does not tell
 * @param loadAverageAtEnd the same when the run ended
 */
record BenchEnvironment(
    String server,
    String database,
    String synchronousCommit,
    int cores,
    double loadAverageAtStart,
    double loadAverageAtEnd) {

  boolean embedded() {
    return "embedded".equals(database);
  }
}
