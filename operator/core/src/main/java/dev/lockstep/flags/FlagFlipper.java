package dev.lockstep.flags;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code flags} step handler calls: flip one flag and prove it, or put it back.
 *
 * <p>A flip is two calls with a status write between them, so that a crash at any moment cannot lose
 * the flag's previous definition:
 *
 * <pre>{@code
 * FlagStatus recorded = status.getFlags().get(key);            // null before this migration touched it
 * FlagStatus captured = flipper.capture(store, key, recorded); // reads the flag, writes nothing
 * // persist captured in status.flags.<key> now, if it differs from recorded
 * FlagStatus flipped = flipper.apply(store, change, captured);  // writes, reads back, evaluates
 * // persist flipped in status.flags.<key>
 * }</pre>
 *
 * <p>Both calls are idempotent: repeating them after a crash writes nothing new.
 */
public final class FlagFlipper {

  private static final Logger LOG = LoggerFactory.getLogger(FlagFlipper.class);

  private final FlagSampler sampler;
  private final Clock clock;

  public FlagFlipper() {
    this(new FlagSampler(), Clock.systemUTC());
  }

  public FlagFlipper(FlagSampler sampler, Clock clock) {
    this.sampler = sampler;
    this.clock = clock;
  }

  /**
   * The status that holds the flag's definition from before this migration's first write: {@code recorded}
   * itself once it has one (later steps never replace it), otherwise the flag as stored now.
   */
  public FlagStatus capture(FlagStore store, String flagKey, FlagStatus recorded) {
    if (recorded != null && recorded.getPreviousDefinition() != null) {
      return recorded;
    }
    FlagDefinition current = store.read().require(flagKey);
    FlagStatus captured = new FlagStatus();
    captured.setPrevious(current.defaultVariant());
    captured.setPreviousDefinition(current.json());
    return captured;
  }

  /**
   * Writes the change, reads the flag back and evaluates what was read for {@link FlagSampler#SAMPLE_SIZE}
   * targeting keys. Returns {@code recorded} updated with what was set and observed.
   *
   * @param recorded the status from {@link #capture}, already persisted
   * @throws FlagException when the change is refused or the flag does not read back as the flip
   */
  public FlagStatus apply(FlagStore store, FlagChange change, FlagStatus recorded) {
    String key = change.getFlag();
    if (recorded == null || recorded.getPreviousDefinition() == null) {
      throw new IllegalStateException("flag " + key + ": capture() and persist its previous definition first");
    }
    FlagWrite write = store.update(key, current -> FlagRollout.next(current, change, recorded));
    FlagSet readBack = store.read();
    FlagDefinition stored = readBack.require(key);
    if (!stored.sameAs(write.after().tree())) {
      throw new FlagException(store.description() + ": flag " + key
          + " changed again right after lockstep wrote it; it now reads " + stored.json());
    }
    int percent = change.getPercent() == null ? 100 : change.getPercent();
    VariantSample sample = sampler.sample(key, readBack.evaluationDocument(key));
    FlagVerification.problem(key, sample, change.getVariant(), percent, stored.defaultVariant())
        .ifPresent(problem -> {
          throw new FlagException(store.description() + ": " + problem);
        });
    FlagStatus flipped = copy(recorded);
    flipped.setVariant(change.getVariant());
    flipped.setPercent(percent);
    flipped.setObservedShare(sample.share(change.getVariant()));
    flipped.setObservedAt(now());
    LOG.info("{}: flag {} serves \"{}\" to {}% ({}), observed {} of {} sample keys", store.description(), key,
        change.getVariant(), percent, write.written() ? "written" : "already so", flipped.getObservedShare(),
        sample.size());
    return flipped;
  }

  /**
   * Puts the flag back to the definition captured before this migration first changed it, and checks
   * that the source returns exactly that text. A flag this migration never captured is left alone.
   *
   * @return {@code recorded} updated to say the flag serves its previous variant again
   */
  public FlagStatus restore(FlagStore store, String flagKey, FlagStatus recorded) {
    if (recorded == null || recorded.getPreviousDefinition() == null) {
      return recorded;
    }
    boolean written = store.restore(flagKey, recorded.getPreviousDefinition());
    FlagDefinition stored = store.read().require(flagKey);
    if (!stored.json().equals(recorded.getPreviousDefinition())) {
      throw new FlagException(store.description() + ": flag " + flagKey
          + " does not read back as its saved definition after the restore; it reads " + stored.json());
    }
    FlagStatus restored = copy(recorded);
    restored.setVariant(recorded.getPrevious());
    restored.setPercent(null);
    restored.setObservedShare(null);
    restored.setObservedAt(now());
    LOG.info("{}: flag {} restored to its previous definition ({})", store.description(), flagKey,
        written ? "written" : "already so");
    return restored;
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static FlagStatus copy(FlagStatus source) {
    FlagStatus copy = new FlagStatus();
    copy.setVariant(source.getVariant());
    copy.setPrevious(source.getPrevious());
    copy.setPercent(source.getPercent());
    copy.setObservedShare(source.getObservedShare());
    copy.setObservedAt(source.getObservedAt());
    copy.setPreviousDefinition(source.getPreviousDefinition());
    copy.setRemovableFromCode(source.getRemovableFromCode());
    return copy;
  }
}
