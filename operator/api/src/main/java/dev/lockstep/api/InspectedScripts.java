package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * What an inspection Job found in a scripts image: the script files with their checksums, and what
 * the static risk rules found in them. Also the Job's termination message (within 4 KiB), so only
 * short fields: the operator assigns findings to steps itself.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class InspectedScripts {

  @JsonPropertyDescription("The scripts image that was inspected.")
  private String image;

  @JsonPropertyDescription("The directory in the image that was inspected.")
  private String path;

  @JsonPropertyDescription("The inspection Job.")
  private String job;

  @JsonPropertyDescription("Script file names (V<version>__*.sql, U<version>__*.sql) and the first 12 hex digits of their SHA-256.")
  private Map<String, String> files;

  @JsonPropertyDescription("What the static risk rules found, by script and line.")
  private List<InspectedFinding> findings;

  @JsonPropertyDescription("Scripts that could not be judged (not UTF-8, a syntax error), one line each.")
  private List<String> errors;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public Map<String, String> getFiles() {
    return files;
  }

  public void setFiles(Map<String, String> files) {
    this.files = files;
  }

  public List<InspectedFinding> getFindings() {
    return findings;
  }

  public void setFindings(List<InspectedFinding> findings) {
    this.findings = findings;
  }

  public List<String> getErrors() {
    return errors;
  }

  public void setErrors(List<String> errors) {
    this.errors = errors;
  }

  /** Whether this inspection is of {@code image}'s {@code path}: a changed image needs another. */
  public boolean isOf(ScriptsImage scripts) {
    return scripts != null && image != null && image.equals(scripts.getName())
        && path != null && path.equals(scripts.getPath());
  }
}
