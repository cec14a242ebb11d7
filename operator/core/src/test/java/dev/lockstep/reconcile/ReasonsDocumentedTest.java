package dev.lockstep.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's table of status reasons lists every {@link Reason}, once, and nothing else. */
class ReasonsDocumentedTest {

  private static final Path README = Path.of("../../README.md");
  private static final String SECTION = "### Status reasons";
  private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\|");

  @Test
  void everyReasonHasOneRowInTheReadme() throws IOException {
    List<String> documented = documentedReasons();

    assertThat(documented).doesNotHaveDuplicates();
    assertThat(documented).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(Reason.values()).map(Reason::name).toList());
  }

  /** The first cell of each row of the table under {@value #SECTION}, up to the next heading. */
  private static List<String> documentedReasons() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf(SECTION);
    assertThat(start).as("README.md has a section '%s'", SECTION).isNotNegative();
    List<String> reasons = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        reasons.add(row.group(1));
      }
    }
    return reasons;
  }
}
