package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process API server and a kubeconfig that points at it, as a user's would: the plugin is run
 * through {@code lockstep kubectl --kubeconfig FILE ...} and finds the cluster the way kubectl does.
 * Contexts: {@code world} (current, namespace {@value #NAMESPACE}) and {@code elsewhere} (namespace
 * {@code other}).
 */
final class KubectlWorld implements AutoCloseable {

  static final String NAMESPACE = "shop";

  record Run(int exit, String out, String err) {}

  final KubernetesWorld world;
  final KubernetesClient client;
  final Path kubeconfig;

  KubectlWorld(Path directory) {
    world = KubernetesWorld.start();
    client = world.newClient();
    kubeconfig = directory.resolve("kubeconfig");
    try {
      Files.writeString(kubeconfig, kubeconfig(world.apiUrl()));
    } catch (IOException e) {
      world.close();
      throw new UncheckedIOException(e);
    }
  }

  static String kubeconfig(String server) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: world
            cluster: {server: "%s"}
        contexts:
          - name: world
            context: {cluster: world, user: tester, namespace: shop}
          - name: elsewhere
            context: {cluster: world, user: tester, namespace: other}
        current-context: world
        users:
          - name: tester
            user: {token: test-token}
        """.formatted(server.replaceAll("/$", ""));
  }

  /** Creates the fixture in its namespace and gives it the fixture's status, as the operator would. */
  SchemaMigration create(String fixture) {
    return create(Fixtures.load(fixture));
  }

  SchemaMigration create(SchemaMigration migration) {
    SchemaMigrationStatus status = migration.getStatus();
    migration.getMetadata().setResourceVersion(null);
    migration.getMetadata().setCreationTimestamp(null);
    migration.getMetadata().setGeneration(null);
    SchemaMigration created = client.resource(migration).create();
    if (status != null) {
      if (status.getObservedGeneration() != null) {
        status.setObservedGeneration(created.getMetadata().getGeneration());
      }
      created.setStatus(status);
      created = client.resource(created).updateStatus();
    }
    return created;
  }

  SchemaMigration get(String name) {
    return get(NAMESPACE, name);
  }

  SchemaMigration get(String namespace, String name) {
    return client.resources(SchemaMigration.class).inNamespace(namespace).withName(name).get();
  }

  Map<String, String> annotations(String name) {
    Map<String, String> annotations = get(name).getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** Runs {@code lockstep kubectl --kubeconfig <this world's> args...} in-process. */
  Run kubectl(String... args) {
    return kubectl(new ByteArrayOutputStream(), args);
  }

  Run kubectl(ByteArrayOutputStream out, String... args) {
    List<String> all = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    all.addAll(List.of(args));
    return lockstep(out, all.toArray(String[]::new));
  }

  static Run lockstep(String... args) {
    return lockstep(new ByteArrayOutputStream(), args);
  }

  /** Runs {@code lockstep args...}, writing stdout to {@code out} as it goes (for --watch). */
  static Run lockstep(ByteArrayOutputStream out, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Lockstep.run(args, ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    world.close();
  }
}
