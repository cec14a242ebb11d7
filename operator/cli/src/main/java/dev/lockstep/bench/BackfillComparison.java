package dev.lockstep.bench;

/**
 * The batched backfill against one {@code UPDATE} of the whole table, each on a fresh copy of the
 * table with no load.
 *
 * @param rows rows each of them changed
 * @param singleUpdateMillis how long the one UPDATE took
 * @param batchedMillis how long {@code lockstep backfill} took, from start to exit
 * @param batchP50Millis the median batch
 * @param batchP99Millis the 99th-percentile batch
 * @param longestBatchMillis the slowest batch
 */
record BackfillComparison(long rows, double singleUpdateMillis, long batchedMillis, long batches,
    long batchP50Millis, long batchP99Millis, long longestBatchMillis) {

  double singleUpdateRowsPerSecond() {
    return perSecond(rows, singleUpdateMillis);
  }

  double batchedRowsPerSecond() {
    return perSecond(rows, batchedMillis);
  }

  /** The batched rate as a share of the one UPDATE's rate. */
  double rateRatio() {
    return batchedRowsPerSecond() / singleUpdateRowsPerSecond();
  }

  private static double perSecond(long rows, double millis) {
    return rows * 1000.0 / Math.max(millis, 0.001);
  }
}
