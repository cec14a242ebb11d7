package dev.lockstep.rehearse.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.rehearse.RehearsalResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The report's structure, checked without a browser: what a person would look for is there. */
class HtmlReportTest {

  private final RehearsalResult result = SampleRehearsal.rolledBack();
  private final String html = HtmlReport.render(result, "every migration ended as expected");

  @Test
  void needsNothingFromTheNetwork() {
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=")
        .doesNotContain("url(").doesNotContain("@import").doesNotContain("href=\"http");
  }

  @Test
  void drawsEveryBandOnTheTimelineWithTheRollbackMarked() throws Exception {
    Document timeline = svg("timeline");
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'band')]")).isEqualTo(result.bands().size());
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'band') and contains(@class,'undo')]")).isEqualTo(3);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'band') and contains(@class,'state-Failed')]"))
        .isEqualTo(1);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'marker rollback')]")).isGreaterThanOrEqualTo(1);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'marker inject')]")).isEqualTo(1);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'marker flags')]")).isEqualTo(1);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'marker backfill')]")).isEqualTo(1);
    assertThat(count(timeline, "//*[local-name()='g'][contains(@class,'marker migrate')]")).isEqualTo(2);
  }

  @Test
  void drawsTheLatencyLinesAndTheRequestRateOneValuePerSecond() throws Exception {
    Document latency = svg("latency");
    int seconds = result.traffic().seconds().size();
    for (String line : List.of("p50", "p99")) {
      String points = (String) XPathFactory.newInstance().newXPath().evaluate(
          "//*[local-name()='polyline'][contains(@class,'" + line + "')]/@points", latency, XPathConstants.STRING);
      assertThat(points.split(" ")).as(line).hasSize(seconds);
    }
    Document rate = svg("rate");
    assertThat(count(rate, "//*[local-name()='rect'][@class='requests']")).isEqualTo(seconds);
    assertThat(count(rate, "//*[local-name()='rect'][@class='failed']")).isEqualTo(1);
  }

  @Test
  void tabulatesEveryStepAndPhaseAndShowsEveryResourceWithoutSecrets() {
    assertThat(html).contains("<table id=\"steps\">");
    assertThat(rowsOf("steps")).containsSubsequence("orders-total-cents expand", "orders-total-cents dual-write",
        "orders-total-cents contract", "orders-total-cents undo expand", "orders-total-cents Progressing",
        "orders-total-cents RollingBack", "all");
    assertThat(html).contains("<tr class=\"undo has-failures\">");
    assertThat(html).contains("Secret default/orders-db").contains("(hidden)");
    assertThat(html).contains("rolled back &lt;every&gt; step").doesNotContain("<every>");
    assertThat(html).contains("fail@contract").contains("lost / wrong");
  }

  private List<String> rowsOf(String table) {
    String body = html.substring(html.indexOf("<table id=\"" + table + "\">"));
    body = body.substring(0, body.indexOf("</table>"));
    List<String> firstCells = new ArrayList<>();
    Matcher m = Pattern.compile("<tr[^>]*><td>([^<]*)</td>").matcher(body);
    while (m.find()) {
      firstCells.add(m.group(1));
    }
    return firstCells;
  }

  /** The SVG with this id, parsed as XML: it must be well formed to be drawn at all. */
  private Document svg(String id) throws Exception {
    int start = html.indexOf("<svg id=\"" + id + "\"");
    assertThat(start).as("svg " + id).isNotNegative();
    String svg = html.substring(start, html.indexOf("</svg>", start) + "</svg>".length());
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static int count(Document doc, String xpath) throws Exception {
    return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET)).getLength();
  }
}
