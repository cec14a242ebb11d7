package dev.lockstep.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template data directory: made once, copied for each server, never half made. */
class ClusterTemplateTest {

  @TempDir
  Path temp;

  private final AtomicInteger initdbRuns = new AtomicInteger();

  /** What initdb and a clean start and stop leave, as far as the template looks. */
  private final Consumer<Path> fakeInitdb = directory -> {
    initdbRuns.incrementAndGet();
    try {
      Files.writeString(directory.resolve("PG_VERSION"), "14\n");
      Files.writeString(directory.resolve("postgresql.conf"), "# defaults\n");
      Files.createDirectories(directory.resolve("base/1"));
      Files.writeString(directory.resolve("base/1/1259"), "catalog");
      Files.writeString(directory.resolve("epg-lock"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  };

  @Test
  void initdbRunsOnceAndEveryServerGetsACopyOfItsOwn() throws IOException {
    Path template = temp.resolve("lockstep-shadow-me/pg14-template");

    Path first = ClusterTemplate.copy(template, fakeInitdb);
    Path second = ClusterTemplate.copy(template, fakeInitdb);

    assertThat(initdbRuns).hasValue(1);
    assertThat(first).isNotEqualTo(second);
    for (Path data : new Path[] {first, second}) {
      assertThat(data.resolve("base/1/1259")).hasContent("catalog");
      assertThat(data.resolve("PG_VERSION")).hasContent("14");
      assertThat(data.resolve("epg-lock")).as("the lock file of the server that made it").doesNotExist();
    }
    ClusterTemplate.delete(first);
    assertThat(first).doesNotExist();
    assertThat(template.resolve("PG_VERSION")).exists();
  }

  @Test
  void aServerThatDidNotStopCleanlyLeavesNoTemplate() {
    Path template = temp.resolve("lockstep-shadow-me/pg14-template");
    Consumer<Path> stillRunning = fakeInitdb.andThen(directory -> {
      try {
        Files.writeString(directory.resolve("postmaster.pid"), "4242");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    assertThatThrownBy(() -> ClusterTemplate.copy(template, stillRunning)).isInstanceOf(IOException.class)
        .hasMessageContaining("did not stop cleanly");
    assertThat(template).doesNotExist();
  }
}
