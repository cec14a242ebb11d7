package dev.lockstep.world;

import dev.lockstep.world.database.DatabaseLogin;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import dev.lockstep.world.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * A test fixture: the whole test world in one handle: the in-process Kubernetes API, a PostgreSQL server and the
 * simulated node. What {@code lockstep rehearse} and the end-to-end tests start.
 *
 * <pre>{@code
 * try (World world = World.start(EmbeddedDatabase.start())) {
 *   world.images().registerEntrypoint("ghcr.io/lockstep-dev/lockstep", LockstepCommand::run);
 *   world.createDatabaseSecret("shop", "orders-db", "orders");
 *   KubernetesClient operatorClient = world.kubernetes().newClient();
 *   ...
 * }
 * }</pre>
 */
public final class World implements AutoCloseable {

  private final DatabaseServer database;
  private final KubernetesWorld kubernetes;
  private final ImageCatalog images = new ImageCatalog();
  private final SimulatedKubelet kubelet;

  private World(DatabaseServer database) {
    this.database = database;
    this.kubernetes = KubernetesWorld.start();
    try {
      this.kubelet = SimulatedKubelet.start(kubernetes.client(), images);
    } catch (RuntimeException e) {
      kubernetes.close();
      throw e;
    }
  }

  /** Starts the API server and the node around {@code database}, which the world then owns and closes. */
  public static World start(DatabaseServer database) {
    try {
      return new World(database);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Starts everything, with an embedded PostgreSQL. */
  public static World start() {
    return start(EmbeddedDatabase.start());
  }

  public KubernetesWorld kubernetes() {
    return kubernetes;
  }

  public DatabaseServer database() {
    return database;
  }

  public SimulatedKubelet kubelet() {
    return kubelet;
  }

  /** The images the node can run: register the runner's entrypoint and the apps' processes here. */
  public ImageCatalog images() {
    return images;
  }

  /**
   * Creates (or replaces) the Secret a SchemaMigration names, holding the login of database {@code
   * databaseName} under the keys url, username and password.
   */
  public Secret createDatabaseSecret(String namespace, String secretName, String databaseName) {
    DatabaseLogin login = database.database(databaseName);
    return kubernetes.client().resource(login.toSecret(namespace, secretName)).createOr(s -> s.update());
  }

  @Override
  public void close() {
    try {
      kubelet.close();
    } finally {
      try {
        kubernetes.close();
      } finally {
        database.close();
      }
    }
  }
}
