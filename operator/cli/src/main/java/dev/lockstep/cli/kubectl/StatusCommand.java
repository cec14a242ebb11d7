package dev.lockstep.cli.kubectl;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cli.kubectl.Cluster.ClusterException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl lockstep status NAME [--watch]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
      "Shows a migration as a tree of its steps, and what it waits for now.",
      "Each step: state, timing, attempts, Job, progress, message; then the flags it serves.",
      "With --watch, redraws as it moves and exits when it ends: 0 Succeeded, 1 Failed or RolledBack."
    })
final class StatusCommand implements Callable<Integer> {

  @ParentCommand KubectlCommand kubectl;

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Option(names = {"-w", "--watch"}, description = "Redraw as the migration moves, until it ends (Ctrl-C stops).")
  boolean watch;

  @Option(names = "--refresh", defaultValue = "1s", paramLabel = "DURATION", hidden = true,
      description = "With --watch, how often timings are redrawn when nothing changed (default: ${DEFAULT-VALUE}).")
  String refresh;

  @Override
  public Integer call() {
    try (Cluster cluster = kubectl.connect()) {
      SchemaMigration migration = cluster.get(name);
      if (migration == null) {
        kubectl.err().println("kubectl lockstep status: " + NotFound.message(cluster, name));
        return KubectlCommand.REFUSED;
      }
      if (!watch) {
        kubectl.out().print(StatusView.render(migration, Clock.systemUTC().instant()));
        kubectl.out().flush();
        return 0;
      }
      Duration every = dev.lockstep.api.Durations.parse(refresh, "--refresh");
      SchemaMigration last = new StatusWatch(cluster, kubectl.out(), Clock.systemUTC(), every).run(migration);
      if (last == null) {
        kubectl.err().println("kubectl lockstep status: SchemaMigration " + cluster.namespace() + "/" + name
            + " was deleted");
        return KubectlCommand.REFUSED;
      }
      return last.getStatus().getPhase() == Phase.Succeeded ? 0 : KubectlCommand.REFUSED;
    } catch (ClusterException e) {
      kubectl.err().println("kubectl lockstep status: " + e.getMessage());
      return KubectlCommand.REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return KubectlCommand.REFUSED;
    }
  }
}
