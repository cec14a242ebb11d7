package dev.lockstep.rehearse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where the log of everything a rehearsal runs (the operator, the kubelet, the runner Jobs, the
 * sample application) goes while it runs: to a file, so that the terminal shows only the timeline, the
 * traffic table and the summary. Closing it puts the previous appenders back.
 */
public final class OperatorLog implements AutoCloseable {

  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  private final Path file;
  private final Logger root;
  private final List<Appender<ILoggingEvent>> previous;
  private final FileAppender<ILoggingEvent> appender;

  private OperatorLog(Path file, Logger root, List<Appender<ILoggingEvent>> previous,
      FileAppender<ILoggingEvent> appender) {
    this.file = file;
    this.root = root;
    this.previous = previous;
    this.appender = appender;
  }

  /**
   * Sends the root logger's events to {@code file} (created or truncated) instead of its appenders.
   *
   * @throws IllegalStateException when the logging backend is not logback (nothing is changed)
   */
  public static OperatorLog toFile(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("the log cannot be redirected: the logging backend is not logback");
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("rehearsal-log");
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(false);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalArgumentException("--log " + file + ": cannot write to this file");
    }
    List<Appender<ILoggingEvent>> previous = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      previous.add(it.next());
    }
    root.addAppender(appender);
    previous.forEach(root::detachAppender);
    return new OperatorLog(file, root, previous, appender);
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    previous.forEach(root::addAppender);
    root.detachAppender(appender);
    appender.stop();
  }
}
