package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl lockstep list}: a table like {@code kubectl get}, columns as wide as their widest cell. */
final class ListView {

  private ListView() {}

  static String render(List<SchemaMigration> migrations, boolean withNamespace, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("NAME", "PHASE", "STEP", "STEPS", "VERSION", "AGE"));
    if (withNamespace) {
      header.add(0, "NAMESPACE");
    }
    rows.add(header);
    for (SchemaMigration m : migrations) {
      SchemaMigrationStatus status = m.getStatus();
      List<String> row = new ArrayList<>();
      if (withNamespace) {
        row.add(m.getMetadata().getNamespace());
      }
      row.add(m.getMetadata().getName());
      row.add(status == null || status.getPhase() == null ? "-" : status.getPhase().name());
      row.add(status == null || status.getCurrentStep() == null ? "-" : status.getCurrentStep());
      row.add(done(m) + "/" + total(m));
      row.add(status == null || status.getSchemaVersion() == null ? "-" : status.getSchemaVersion());
      String created = m.getMetadata().getCreationTimestamp();
      row.add(created == null ? "-" : HumanDuration.of(Duration.between(Instant.parse(created), now)));
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : StatusView.pad(row.get(i), widths[i] + 3));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static long done(SchemaMigration m) {
    return m.getStatus() == null || m.getStatus().getSteps() == null ? 0
        : m.getStatus().getSteps().stream().filter(s -> s.getState() == StepState.Succeeded).count();
  }

  private static int total(SchemaMigration m) {
    return m.getSpec() == null || m.getSpec().getSteps() == null ? 0 : m.getSpec().getSteps().size();
  }
}
