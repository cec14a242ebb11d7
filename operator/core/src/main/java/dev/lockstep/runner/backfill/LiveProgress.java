package dev.lockstep.runner.backfill;

/** Where a backfill posts its figures as they change, for whoever asks while it runs. */
public interface LiveProgress {

  /** The figures after a batch (or at the start); a throttle reason is cleared by the next batch. */
  void progress(long rowsDone, Long estimatedRows, double rowsPerSecond);

  /** The throttle holds the batches back, and why. */
  void throttled(String reason);

  /** Posts nowhere: no one asks. */
  LiveProgress NONE = new LiveProgress() {
    @Override
    public void progress(long rowsDone, Long estimatedRows, double rowsPerSecond) {}

    @Override
    public void throttled(String reason) {}
  };
}
