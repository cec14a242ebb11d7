package dev.lockstep.rehearse.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser, through the documented script: headless Chromium draws it into a PNG
 * that shows the charts. Skipped, saying so, on a machine without Chromium; the structure itself is
 * tested without a browser in {@link HtmlReportTest}.
 */
class HtmlReportInChromiumTest {

  private static final Path SCRIPT = Path.of("..", "..", "scripts", "render-report.sh");

  @TempDir Path dir;

  @Test
  void chromiumDrawsTheTimelineAndTheLatencyLines() throws Exception {
    assumeTrue(onPath("chromium") || onPath("chromium-browser"),
        "Chromium is not installed here (apt-get install -y chromium); the report's structure is still"
            + " checked by HtmlReportTest");
    Path html = dir.resolve("report.html");
    Files.writeString(html, HtmlReport.render(SampleRehearsal.rolledBack(), "every migration ended as expected"));
    Path png = dir.resolve("report.png");

    Process render = new ProcessBuilder("sh", SCRIPT.toString(), html.toString(), png.toString(), "1400x1400")
        .redirectErrorStream(true).start();
    assertThat(render.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    String said = new String(render.getInputStream().readAllBytes());
    assertThat(render.exitValue()).as(said).isZero();

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    // The bands and lines are drawn in their own colours: the rollback red, the p99 orange, the p50 blue.
    assertThat(colours(image)).contains(0xc0392b, 0xe07b14, 0x2f6fdb);
  }

  private static Set<Integer> colours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colours;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
