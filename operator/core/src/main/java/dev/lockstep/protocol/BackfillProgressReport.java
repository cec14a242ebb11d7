package dev.lockstep.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * How far a running backfill has got, as its runner serves it over HTTP on its pod IP
 * ({@code GET /progress}) for the operator to show in status. Figures only: no SQL, no credentials.
 *
 * @param rowsDone rows changed so far, over all runs of the checkpoint
 * @param estimatedRows the planner's estimate of all rows to change, or {@code null} when unknown
 * @param rowsPerSecond rows changed per second by this run
 * @param throttled why the throttle holds the batches back, while it does; otherwise {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackfillProgressReport(long rowsDone, Long estimatedRows, double rowsPerSecond, String throttled) {

  /** The path the runner serves it at. */
  public static final String PATH = "/progress";

  private static final ObjectMapper JSON = new ObjectMapper();

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IllegalArgumentException when {@code json} is not such a report */
  public static BackfillProgressReport parse(String json) {
    try {
      return JSON.readValue(json, BackfillProgressReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a backfill progress report: " + e.getMessage(), e);
    }
  }

  /** For status: {@code 12000/52000 rows, 4100 rows/s}, with {@code , throttled: <why>} while held back. */
  public String describe() {
    String text = rowsDone + (estimatedRows != null && estimatedRows > 0 ? "/" + Math.max(estimatedRows, rowsDone) : "")
        + " rows";
    text = rowsPerSecond > 0 ? text + ", " + Math.round(rowsPerSecond) + " rows/s" : text;
    return throttled == null ? text : text + ", throttled: " + throttled;
  }
}
