package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cli.kubectl.Cluster.ClusterException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A verb that steers one migration through its annotations: read it, let {@link Steering} decide,
 * patch only the annotations. A change that extends a list is sent with the resourceVersion it was
 * decided on; if the migration changed meanwhile, it is read and decided again.
 */
abstract class SteeringCommand implements Callable<Integer> {

  private static final int ATTEMPTS = 3;

  @ParentCommand KubectlCommand kubectl;

  /** The migration's name. */
  abstract String migrationName();

  abstract Steering.Outcome decide(SchemaMigration migration);

  @Override
  public Integer call() {
    String verb = getClass().getAnnotation(picocli.CommandLine.Command.class).name();
    try (Cluster cluster = kubectl.connect()) {
      for (int attempt = 1; ; attempt++) {
        SchemaMigration migration = cluster.get(migrationName());
        if (migration == null) {
          kubectl.err().println("kubectl lockstep " + verb + ": " + NotFound.message(cluster, migrationName()));
          return KubectlCommand.REFUSED;
        }
        Steering.Outcome outcome = decide(migration);
        if (outcome instanceof Steering.Refused refused) {
          kubectl.err().println("kubectl lockstep " + verb + ": " + refused.why());
          return KubectlCommand.REFUSED;
        }
        if (outcome instanceof Steering.AlreadyDone done) {
          kubectl.out().println(done.why());
          return 0;
        }
        Steering.Change change = (Steering.Change) outcome;
        try {
          cluster.annotate(migration, change.annotations(),
              change.conditional() ? migration.getMetadata().getResourceVersion() : null);
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409 && attempt < ATTEMPTS) {
            continue; // changed since it was read: decide again on what it is now
          }
          throw cluster.apiError("annotating SchemaMigration " + cluster.namespace() + "/" + migrationName(), e);
        }
        kubectl.out().println(change.done());
        return 0;
      }
    } catch (ClusterException e) {
      kubectl.err().println("kubectl lockstep " + verb + ": " + e.getMessage());
      return KubectlCommand.REFUSED;
    }
  }
}
