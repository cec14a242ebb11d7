package dev.lockstep.flags;

import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueuePayload;
import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueuePayloadType;
import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueueSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands flagd's in-process evaluator one flagd document from memory. It is what file mode does with a
 * file, without the temporary file and the thread that polls it for changes.
 */
final class OneDocumentSource implements QueueSource {

  private final BlockingQueue<QueuePayload> queue = new LinkedBlockingQueue<>();

  OneDocumentSource(String flagdDocument) {
    queue.add(new QueuePayload(QueuePayloadType.DATA, flagdDocument));
  }

  @Override
  public void init() {
    // The document is already queued.
  }

  @Override
  public BlockingQueue<QueuePayload> getStreamQueue() {
    return queue;
  }

  @Override
  public void shutdown() {
    // Nothing to close.
  }
}
