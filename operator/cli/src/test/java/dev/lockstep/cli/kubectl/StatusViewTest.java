package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl lockstep status} renders fixed statuses exactly as the golden files show. After a
 * deliberate change of the layout, regenerate them with {@code -Dlockstep.updateGolden=true} and
 * read the diff.
 */
class StatusViewTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "kubectl", "golden");

  @ParameterizedTest
  @ValueSource(strings = {Fixtures.WAITING_FOR_APPROVAL, Fixtures.GATE_HELD, Fixtures.BACKFILL_RUNNING,
      Fixtures.FAILED_MANUAL, Fixtures.ROLLING_BACK})
  void rendersAsTheGoldenFileShows(String fixture) throws IOException {
    String rendered = StatusView.render(Fixtures.load(fixture), Fixtures.NOW);

    Path golden = GOLDEN.resolve(fixture + ".txt");
    if (Boolean.getBoolean("lockstep.updateGolden")) {
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    assertThat(rendered).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
