package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code status --watch}: redraws the status on every change the API server reports, and every
 * {@code refresh} in between so running timings move, until the migration reaches a terminal phase
 * for its latest spec, or is deleted. A redraw homes the cursor and clears the screen (ANSI), as
 * {@code kubectl argo rollouts get rollout --watch} does.
 */
final class StatusWatch {

  /** Cursor home, then clear the screen. */
  static final String CLEAR = "\033[H\033[2J";

  private final Cluster cluster;
  private final PrintStream out;
  private final Clock clock;
  private final Duration refresh;

  StatusWatch(Cluster cluster, PrintStream out, Clock clock, Duration refresh) {
    this.cluster = cluster;
    this.out = out;
    this.clock = clock;
    this.refresh = refresh;
  }

  /**
   * Watches until the end; returns the migration as it ended, or null when it was deleted. A
   * migration that has ended already is drawn once.
   */
  SchemaMigration run(SchemaMigration initial) throws InterruptedException {
    // Empty means deleted; the watch thread only hands over, the drawing happens here.
    BlockingQueue<Optional<SchemaMigration>> changes = new LinkedBlockingQueue<>();
    AtomicBoolean watchLost = new AtomicBoolean();
    if (ended(initial)) {
      draw(initial);
      return initial;
    }
    try (Watch ignored = cluster.client().resources(SchemaMigration.class)
        .inNamespace(initial.getMetadata().getNamespace()).withName(initial.getMetadata().getName())
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, SchemaMigration resource) {
            changes.add(action == Action.DELETED ? Optional.empty() : Optional.of(resource));
          }

          @Override
          public void onClose(WatcherException cause) {
            // fabric8 reconnects on its own; a watch it cannot restore leaves the loop polling.
            watchLost.set(true);
          }
        })) {
      // Read again once the watch is open, so that no change (or deletion) falls between the two.
      SchemaMigration current = cluster.get(initial.getMetadata().getName());
      if (current == null) {
        return null;
      }
      draw(current);
      while (!ended(current)) {
        Optional<SchemaMigration> change = changes.poll(refresh.toMillis(), TimeUnit.MILLISECONDS);
        if (change == null && watchLost.get()) {
          change = Optional.ofNullable(cluster.get(initial.getMetadata().getName()));
        }
        if (change != null) {
          if (change.isEmpty()) {
            return null;
          }
          current = change.get();
        }
        draw(current);
      }
      return current;
    }
  }

  private void draw(SchemaMigration migration) {
    out.print(CLEAR);
    out.print(StatusView.render(migration, clock.instant()));
    out.flush();
  }

  /** A terminal phase that describes the latest spec: a spec edited after success may run again. */
  static boolean ended(SchemaMigration migration) {
    if (migration.getStatus() == null || migration.getStatus().getPhase() == null
        || !migration.getStatus().getPhase().isTerminal()) {
      return false;
    }
    Long generation = migration.getMetadata().getGeneration();
    Long observed = migration.getStatus().getObservedGeneration();
    return generation == null || observed == null || observed >= generation;
  }
}
