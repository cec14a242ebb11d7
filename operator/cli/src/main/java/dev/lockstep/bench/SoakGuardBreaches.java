package dev.lockstep.bench;

import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.RollbackCause;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.world.FakePrometheus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The soak's guard breaches. Every migration's Prometheus guard watches its own database's error
 * ratio on a {@link FakePrometheus}, which answers 0 until the soak breaches it: then it answers
 * {@link #BREACHING} until the migration has answered the breach — left {@code Progressing}, by a
 * rollback or an end — and 0 again. A breach is held that long, not for a fixed time, so every breach
 * the soak counts is one the operator must confirm (3 consecutive checks over at least 4 s), however
 * slow a loaded machine makes its checks. A breach is injected only in a migration's guarded window:
 * its {@code watch} step running, after the flag flipped and with no Job at work, so the rollback it
 * causes must restore the flag and undo {@code expand}; a breach drawn while no migration is there
 * waits, armed, for the next one that is. The guard has no {@code for}: a breach is seen
 * on the first check after it, so no new step (no {@code contract}) starts once it is there.
 */
final class SoakGuardBreaches implements AutoCloseable {

  static final double MAX = 0.05;
  static final double BREACHING = 0.5;

  private final FakePrometheus prometheus = FakePrometheus.start();
  /** Breaches injected, by migration name, and whether each is held still. */
  private final Map<String, Breach> breaches = new ConcurrentHashMap<>();
  /** Breaches drawn by the soak and not injected yet: no migration was in its guarded window then. */
  private int armed;

  /** One breach: of which lane's guard, when, and until when it was held ({@code null}: held still). */
  record Breach(SoakLane lane, Instant at, Instant liftedAt) {}

  /** The guard every migration of {@code database} carries, its value within bounds until breached. */
  PrometheusCheck guard(String database) {
    prometheus.setValue(query(database), 0.0);
    PrometheusCheck check = new PrometheusCheck();
    check.setUrl(prometheus.url());
    check.setQuery(query(database));
    check.setMax(MAX);
    return check;
  }

  private static String query(String database) {
    return "soak_error_ratio{database=\"" + database + "\"}";
  }

  /** One more breach to inject, as soon as a migration is in its guarded window. */
  void arm() {
    armed++;
  }

  /**
   * Breaches the guard of a migration, chosen at random among those in their guarded window and not
   * breached yet, if a breach is armed and there is one.
   *
   * @return whether a breach was injected
   */
  boolean injectArmed(Random random, List<SoakLane> lanes, KubernetesClient user) {
    if (armed == 0) {
      return false;
    }
    List<SoakLane> watching = new ArrayList<>();
    for (SoakLane lane : lanes) {
      if (lane.current != null && !breaches.containsKey(lane.current)
          && inGuardedWindow(lane.currentMigration(user))) {
        watching.add(lane);
      }
    }
    if (watching.isEmpty()) {
      return false;
    }
    SoakLane lane = watching.get(random.nextInt(watching.size()));
    breaches.put(lane.current, new Breach(lane, Instant.now(), null));
    prometheus.setValue(query(lane.database), BREACHING);
    armed--;
    return true;
  }

  /** Breaches armed but never injected, as no migration came into its guarded window; at the end, off. */
  void disarm() {
    armed = 0;
  }

  private static boolean inGuardedWindow(SchemaMigration m) {
    if (m == null || m.getStatus() == null || m.getStatus().getPhase() != Phase.Progressing
        || m.getStatus().getSteps() == null) {
      return false;
    }
    return m.getStatus().getSteps().stream().anyMatch(
        s -> SoakLane.WATCH_STEP.equals(s.getName()) && s.getState() == StepState.Running);
  }

  /** The value back within bounds for each breach whose migration answered it: it left {@code Progressing}. */
  void liftAnswered(KubernetesClient user) {
    breaches.forEach((name, breach) -> {
      if (breach.liftedAt() == null) {
        SchemaMigration m = SoakLane.read(user, name);
        if (m != null && m.getStatus() != null && m.getStatus().getPhase() != Phase.Progressing) {
          prometheus.setValue(query(breach.lane().database), 0.0);
          breaches.put(name, new Breach(breach.lane(), breach.at(), Instant.now()));
        }
      }
    });
  }

  /**
   * Checks each migration's rollback cause against the breaches: one breached ended {@code RolledBack}
   * (or {@code Failed}) for its guard, with its flag restored and {@code expand} undone; one never
   * breached did not roll back for a guard.
   *
   * @return how many migrations rolled back for a guard
   */
  int check(KubernetesClient user, List<SoakLane> lanes, List<String> violations) {
    int guardRollbacks = 0;
    for (SoakLane lane : lanes) {
      for (int k = 0; k < lane.started; k++) {
        SchemaMigration m = lane.get(user, k);
        String name = lane.migrationName(k);
        RollbackCause cause = m == null || m.getStatus() == null || m.getStatus().getRollback() == null ? null
            : m.getStatus().getRollback().getCause();
        if (cause == RollbackCause.GuardBreached) {
          guardRollbacks++;
        }
        Breach breach = breaches.get(name);
        if (breach == null) {
          if (cause == RollbackCause.GuardBreached) {
            violations.add(name + " rolled back for a guard that was never breached: "
                + m.getStatus().getRollbackReason());
          }
          continue;
        }
        Phase phase = m == null || m.getStatus() == null ? null : m.getStatus().getPhase();
        if (breach.liftedAt() == null) {
          violations.add(name + ": its guard was breached at " + breach.at() + " and it never answered (phase "
              + phase + ")");
        } else if (phase != Phase.RolledBack && phase != Phase.Failed) {
          violations.add(name + ": its guard was breached at " + breach.at() + ", but it ended " + phase);
        } else if (cause != RollbackCause.GuardBreached && !contractStartedBefore(m, breach.at())) {
          violations.add(name + ": its guard was breached at " + breach.at() + ", but its rollback cause is "
              + cause);
        } else if (phase == Phase.RolledBack) {
          checkUndone(user, lane, k, m, violations);
        }
      }
    }
    return guardRollbacks;
  }

  /**
   * A {@code contract} Job already at work when the breach came is let finish; one that fails then
   * rolls the migration back for its failure, which is as right.
   */
  private static boolean contractStartedBefore(SchemaMigration m, Instant at) {
    return m.getStatus().getSteps() != null && m.getStatus().getSteps().stream().anyMatch(
        s -> "contract".equals(s.getName()) && s.getStartedAt() != null && Instant.parse(s.getStartedAt()).isBefore(at));
  }

  /** A migration rolled back for its guard: schema as before it, flag as before it. */
  private static void checkUndone(KubernetesClient user, SoakLane lane, int k, SchemaMigration m,
      List<String> violations) {
    String name = lane.migrationName(k);
    SchemaMigration previous = k == 0 ? null : lane.get(user, k - 1);
    String before = previous == null || previous.getStatus() == null ? null : previous.getStatus().getSchemaVersion();
    if (!Objects.equals(before, m.getStatus().getSchemaVersion())) {
      violations.add(name + " rolled back for its guard to schema version " + m.getStatus().getSchemaVersion()
          + ", not to " + before + " where it started");
    }
    FlagStatus flag = lane.flagStatus(m);
    if (flag != null && !Objects.equals(flag.getVariant(), flag.getPrevious())) {
      violations.add(name + " rolled back for its guard, but says its flag serves " + flag.getVariant()
          + ", not " + flag.getPrevious() + " as before it");
    }
    // What the next migration found is what this one left.
    FlagStatus next = k + 1 < lane.started ? lane.flagStatus(lane.get(user, k + 1)) : null;
    if (flag != null && next != null && !Objects.equals(next.getPrevious(), flag.getPrevious())) {
      violations.add(name + " rolled back for its guard, but left its flag at " + next.getPrevious() + ", not "
          + flag.getPrevious());
    }
  }

  @Override
  public void close() {
    prometheus.close();
  }
}
