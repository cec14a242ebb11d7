package dev.lockstep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator opens no database connection: none of the classes the controller runs refers to JDBC
 * or to the PostgreSQL driver (a class file names every class it uses in its constant pool). Only
 * the runner — the Job entrypoints, in the runner's pod — connects, with the credentials its pod
 * gets from the Secret. The old progress reader that queried the application's database would fail this.
 */
class NoDatabaseConnectionFromTheOperatorTest {

  /** The controller's packages: everything in operator/core but the runner and its Job commands. */
  private static final List<String> OPERATOR_PACKAGES = List.of("reconcile", "jobs", "steps", "gates", "scripts",
      "validate", "cache", "flags", "queue", "events", "metrics", "protocol", "lint");

  private static final List<String> DATABASE_ACCESS = List.of("java/sql/", "javax/sql/", "org/postgresql/",
      "dev/lockstep/runner/JdbcConnections", "dev/lockstep/runner/DatabaseConnections",
      "dev/lockstep/runner/DatabaseCredentials");

  @Test
  void noClassOfTheControllerRefersToJdbc() throws IOException {
    Path classes = Path.of("target/classes/dev/lockstep");
    List<Path> files;
    try (Stream<Path> walk = Stream.concat(
        OPERATOR_PACKAGES.stream().flatMap(p -> walkClasses(classes.resolve(p))),
        Stream.of(classes.resolve("command/OperatorCommand.class")))) {
      files = walk.toList();
    }
    assertThat(files).as("compiled operator classes").hasSizeGreaterThan(100)
        .contains(classes.resolve("jobs/HttpBackfillProgress.class"));
    for (Path file : files) {
      String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(DATABASE_ACCESS).as(classes.relativize(file) + " refers to database access")
          .noneMatch(constants::contains);
    }
  }

  private static Stream<Path> walkClasses(Path directory) {
    try {
      return Files.walk(directory).filter(f -> f.toString().endsWith(".class")).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
