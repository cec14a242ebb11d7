package dev.lockstep.metrics;


import dev.lockstep.api.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lockstep's metrics in a Micrometer registry. Names as Prometheus shows them (the README lists
 * them all): {@code lockstep_migrations}, {@code lockstep_migration_phase_since_seconds}, {@code
 * lockstep_step_duration_seconds}, {@code lockstep_rollbacks_total}, {@code
 * lockstep_lock_timeout_retries_total}, {@code lockstep_backfill_rows_total}, {@code
 * lockstep_gate_wait_seconds}, {@code lockstep_leader}.
 */
public final class MicrometerMigrationMetrics implements MigrationMetrics {

  /** Steps and gates take seconds to hours: buckets from 1 s to 12 h. */
  private static final Duration SHORTEST = Duration.ofSeconds(1);
  private static final Duration LONGEST = Duration.ofHours(12);

  private record Key(String namespace, String migration) {}

  private record Current(Phase phase, Gauge since) {}

  private final MeterRegistry registry;
  private final Map<Key, Current> migrations = new ConcurrentHashMap<>();
  private final AtomicInteger leader = new AtomicInteger();

  public MicrometerMigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Phase phase : Phase.values()) {
      Gauge.builder("lockstep.migrations", () -> count(phase))
          .description("SchemaMigrations in each phase, as this operator last saw them")
          .tag("phase", phase.name())
          .register(registry);
    }
    Gauge.builder("lockstep.leader", leader, AtomicInteger::get)
        .description("1 while this operator instance holds the leader Lease (or runs without leader election)")
        .register(registry);
  }

  private long count(Phase phase) {
    return migrations.values().stream().filter(c -> c.phase() == phase).count();
  }

  @Override
  public synchronized void phase(String namespace, String migration, Phase phase, Instant since) {
    Key key = new Key(namespace, migration);
    Current current = migrations.get(key);
    if (current != null && current.phase() == phase) {
      return;
    }
    if (current != null) {
      registry.remove(current.since());
    }
    double seconds = since.toEpochMilli() / 1000.0;
    Gauge gauge = Gauge.builder("lockstep.migration.phase.since", () -> seconds)
        .description("Unix time at which the migration entered its current phase")
        .baseUnit("seconds")
        .tags("namespace", namespace, "migration", migration, "phase", phase.name())
        .register(registry);
    migrations.put(key, new Current(phase, gauge));
  }

  @Override
  public synchronized void forget(String namespace, String migration) {
    Current current = migrations.remove(new Key(namespace, migration));
    if (current != null) {
      registry.remove(current.since());
    }
  }

  @Override
  public void stepFinished(String kind, StepOutcome outcome, Duration took) {
    Timer.builder("lockstep.step.duration")
        .description("How long steps took, from the start of an attempt (or undo) to its end")
        .tags("kind", kind, "outcome", label(outcome))
        .publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST)
        .maximumExpectedValue(LONGEST)
        .register(registry)
        .record(took.isNegative() ? Duration.ZERO : took);
  }

  @Override
  public void rollbackStarted(RollbackReason reason) {
    Counter.builder("lockstep.rollbacks")
        .description("Rollbacks started, by what started them")
        .tag("reason", label(reason))
        .register(registry)
        .increment();
  }

  @Override
  public void lockTimeoutRetries(String kind, int retries) {
    if (retries > 0) {
      Counter.builder("lockstep.lock.timeout.retries")
          .description("Statements retried after hitting the lock timeout, by step kind")
          .tag("kind", kind)
          .register(registry)
          .increment(retries);
    }
  }

  @Override
  public void backfillRows(long rows) {
    if (rows > 0) {
      Counter.builder("lockstep.backfill.rows")
          .description("Rows changed by backfills and their undos")
          .register(registry)
          .increment(rows);
    }
  }

  @Override
  public void gateWaited(Gate gate, Duration waited) {
    Timer.builder("lockstep.gate.wait")
        .description("Time migrations were held by each kind of gate; the count of gate=approval is the approvals waited for")
        .tag("gate", label(gate))
        .publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST)
        .maximumExpectedValue(LONGEST)
        .register(registry)
        .record(waited.isNegative() ? Duration.ZERO : waited);
  }

  @Override
  public void leading(boolean leading) {
    leader.set(leading ? 1 : 0);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
