package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cli.kubectl.Cluster.ClusterException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl lockstep list [-A]}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the migrations of the namespace (-A: of every namespace) with phase, step, version and age.")
final class ListCommand implements Callable<Integer> {

  @ParentCommand KubectlCommand kubectl;

  @Option(names = {"-A", "--all-namespaces"}, description = "List the migrations of every namespace.")
  boolean allNamespaces;

  @Override
  public Integer call() {
    try (Cluster cluster = kubectl.connect()) {
      List<SchemaMigration> migrations = cluster.list(allNamespaces);
      if (migrations.isEmpty()) {
        kubectl.err().println(allNamespaces ? "No SchemaMigrations found."
            : "No SchemaMigrations found in namespace " + cluster.namespace() + ".");
        return 0;
      }
      kubectl.out().print(ListView.render(migrations, allNamespaces, Clock.systemUTC().instant()));
      kubectl.out().flush();
      return 0;
    } catch (ClusterException e) {
      kubectl.err().println("kubectl lockstep list: " + e.getMessage());
      return KubectlCommand.REFUSED;
    }
  }
}
