package dev.lockstep.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a soak did and found.
 *
 * @param phases how many migrations ended in each phase
 * @param faults faults injected, by kind
 * @param guardRollbacks migrations whose rollback's cause is a guard breach
 * @param jobRuns runner Jobs that ran (their times at work were checked for overlap)
 * @param operatorIncarnations operator processes: 1 plus one per kill
 * @param violations invariant violations, each a sentence; must be empty
 */
public record SoakReport(long seed, int databases, long seconds, int migrations, Map<String, Integer> phases,
    Map<SoakBenchmark.Fault, Integer> faults, int guardRollbacks, int jobRuns, int operatorIncarnations, List<String> violations) {

  public void printText(PrintStream out, double loadAtStart, double loadAtEnd) {
    out.printf("soak: %d s, seed %d, %d databases, load average %.1f -> %.1f%n", seconds, seed, databases,
        loadAtStart, loadAtEnd);
    out.printf("migrations: %d, ended %s%n", migrations, phases);
    out.printf("runner Jobs run: %d; operator processes: %d%n", jobRuns, operatorIncarnations);
    out.println("faults injected:");
    faults.forEach((kind, n) -> out.printf("  %-24s %d%n", kind.name().toLowerCase().replace('_', '-'), n));
    out.printf("guard rollbacks: %d (guard breaches injected: %d)%n", guardRollbacks,
        faults.getOrDefault(SoakBenchmark.Fault.GUARD_BREACH, 0));
    out.printf("invariant violations: %d%n", violations.size());
    violations.forEach(v -> out.println("  " + v));
    out.println(json(loadAtStart, loadAtEnd));
  }

  public String json(double loadAtStart, double loadAtEnd) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("bench", "soak");
    json.put("seed", seed);
    json.put("databases", databases);
    json.put("seconds", seconds);
    json.put("migrations", migrations);
    json.put("phases", phases);
    Map<String, Integer> byKind = new LinkedHashMap<>();
    faults.forEach((kind, n) -> byKind.put(kind.name().toLowerCase().replace('_', '-'), n));
    json.put("faults", byKind);
    json.put("faultsTotal", faults.values().stream().mapToInt(Integer::intValue).sum());
    json.put("guardRollbacks", guardRollbacks);
    json.put("jobRuns", jobRuns);
    json.put("operatorProcesses", operatorIncarnations);
    json.put("violations", violations.size());
    json.put("loadAverageStart", Math.round(loadAtStart * 10) / 10.0);
    json.put("loadAverageEnd", Math.round(loadAtEnd * 10) / 10.0);
    return Serialization.asJson(json);
  }
}
