package dev.lockstep.shadow;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A PostgreSQL data directory made once by initdb and copied for each shadow server, so that a lint
 * run does not pay for initdb (about half of starting the server; copying the 40 MB takes a fraction
 * of that). It lives under the temporary directory, one per user and major version. It is made by
 * starting a server on a fresh directory and stopping it cleanly, then moved into place in one
 * atomic step, so that runs in parallel never see half of one. Anything unexpected and the caller
 * falls back to a server of its own with initdb.
 */
final class ClusterTemplate {

  private ClusterTemplate() {}

  /** Where the template of this major version lives for this user. */
  static Path location(int majorVersion) {
    return Path.of(System.getProperty("java.io.tmpdir"),
        "lockstep-shadow-" + System.getProperty("user.name"), "pg" + majorVersion + "-template");
  }

  /**
   * A new data directory copied from the template at {@code template}, which {@code initializer} first
   * makes when it is not there: given an empty directory, it runs initdb there and starts and stops a
   * server on it.
   */
  static Path copy(Path template, Consumer<Path> initializer) throws IOException {
    if (!isComplete(template)) {
      Files.createDirectories(template.getParent());
      Path fresh = Files.createTempDirectory(template.getParent(), "initdb-");
      try {
        initializer.accept(fresh);
        if (!isComplete(fresh) || Files.exists(fresh.resolve("postmaster.pid"))) {
          throw new IOException("the template server did not stop cleanly in " + fresh);
        }
        Files.move(fresh, template, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // another run made it first: use theirs
      } finally {
        delete(fresh);
      }
    }
    Path data = Files.createTempDirectory(template.getParent(), "data-");
    try (Stream<Path> files = Files.walk(template)) {
      for (Path file : files.toList()) {
        Path target = data.resolve(template.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (!file.getFileName().toString().equals("epg-lock")) {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException | RuntimeException e) {
      delete(data);
      throw e instanceof IOException io ? io : new IOException(e);
    }
    return data;
  }

  /** Deletes a directory and everything in it, as far as it can. */
  static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      // a temporary directory: what is left, the system's cleanup removes
    }
  }

  private static boolean isComplete(Path directory) {
    return Files.isRegularFile(directory.resolve("PG_VERSION")) && Files.isRegularFile(directory.resolve("postgresql.conf"));
  }
}
