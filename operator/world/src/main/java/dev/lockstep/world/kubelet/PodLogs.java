package dev.lockstep.world.kubelet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each container wrote to stdout and stderr, interleaved as {@code kubectl logs} shows it. Kept
 * after the pod is gone, so a test can read the log of a Job whose pod was deleted.
 */
final class PodLogs {

  /** Past this size a container's log keeps only its newer half, as log rotation would. */
  private static final int MAX_BYTES = 1 << 20;

  private final Map<String, Log> logs = new ConcurrentHashMap<>();

  /** The stream a container writes to; stdout and stderr share it. */
  PrintStream stream(String namespace, String pod, String container) {
    Log log = logs.computeIfAbsent(key(namespace, pod, container), k -> new Log());
    return new PrintStream(log, true, StandardCharsets.UTF_8);
  }

  /** The log of one container, or "" when it never wrote anything. */
  String read(String namespace, String pod, String container) {
    Log log = logs.get(key(namespace, pod, container));
    return log == null ? "" : log.text();
  }

  /** The last {@code maxLines} lines, at most {@code maxBytes} bytes: Kubernetes' log fallback. */
  String tail(String namespace, String pod, String container, int maxLines, int maxBytes) {
    String text = read(namespace, pod, container);
    String[] lines = text.split("\n", -1);
    int end = text.endsWith("\n") ? lines.length - 1 : lines.length;
    int start = Math.max(0, end - maxLines);
    String tail = String.join("\n", Arrays.copyOfRange(lines, start, end));
    byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
    return bytes.length <= maxBytes
        ? tail
        : new String(bytes, bytes.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
  }

  private static String key(String namespace, String pod, String container) {
    return namespace + "/" + pod + "/" + container;
  }

  private static final class Log extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      trim();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      trim();
    }

    private void trim() {
      if (bytes.size() > MAX_BYTES) {
        byte[] all = bytes.toByteArray();
        bytes.reset();
        bytes.write(all, all.length - MAX_BYTES / 2, MAX_BYTES / 2);
      }
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
