package dev.lockstep.rehearse;

import dev.lockstep.rehearse.traffic.OpenLoopDriver;
import dev.lockstep.rehearse.traffic.ReadyPods;
import dev.lockstep.rehearse.traffic.Segment;
import dev.lockstep.rehearse.traffic.TrafficRecorder;
import dev.lockstep.rehearse.traffic.TrafficReport;
import dev.lockstep.rehearse.traffic.WriteCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** The synthetic traffic of one rehearsal: started before the operator, finished after the migrations. */
final class RehearsalTraffic {

  /** Requests keep flowing this long after the last migration ended, so "after" has figures too. */
  private static final Duration TAIL = Duration.ofSeconds(2);
  private static final Duration FAILURE_WINDOW = Duration.ofSeconds(10);

  private final TrafficTarget target;
  private final ReadyPods readyPods;
  private final TrafficRecorder recorder;
  private final OpenLoopDriver driver;
  private final int rate;
  private final Clock clock;

  private RehearsalTraffic(TrafficTarget target, ReadyPods readyPods, TrafficRecorder recorder, OpenLoopDriver driver,
      int rate, Clock clock) {
    this.target = target;
    this.readyPods = readyPods;
    this.recorder = recorder;
    this.driver = driver;
    this.rate = rate;
    this.clock = clock;
  }

  static RehearsalTraffic start(TrafficTarget target, KubernetesClient client, Supplier<Segment> position,
      Instant start, RehearsalOptions options, Timeline timeline, Clock clock) {
    ReadyPods readyPods = new ReadyPods(client, target.namespace(), target.selector());
    TrafficRecorder recorder = new TrafficRecorder(start);
    OpenLoopDriver driver = OpenLoopDriver.start(target.plan(), readyPods, position, recorder,
        options.trafficRate(), options.requestTimeout());
    timeline.note(clock.instant(), "traffic", options.trafficRate() + " requests/s to " + target.description()
        + " once a pod is ready (" + target.plan().description() + ")");
    return new RehearsalTraffic(target, readyPods, recorder, driver, options.trafficRate(), clock);
  }

  double failureRatio(Instant now) {
    return recorder.failureRatio(now, FAILURE_WINDOW);
  }

  /** Stops the requests after a short tail, reads back every acknowledged write, and sums up. */
  TrafficReport finish(Timeline timeline) throws InterruptedException {
    if (driver.started()) {
      Thread.sleep(TAIL.toMillis());
    }
    driver.close();
    WriteCheck writes = driver.started() ? target.plan().verifyWrites(readyPods.get()) : WriteCheck.NOT_CHECKED;
    TrafficReport report = recorder.report(rate, target.description(), target.plan().description(), writes);
    timeline.note(clock.instant(), "traffic", report.total().requests() + " requests, " + report.total().failed()
        + " failed" + (writes.checked() ? "; " + writes.records() + " records written, " + writes.lost() + " lost, "
        + writes.wrong() + " wrong, " + writes.unverified() + " unverified" : "")
        + (driver.started() ? "" : "; no pod of " + target.description() + " was ever ready"));
    return report;
  }
}
